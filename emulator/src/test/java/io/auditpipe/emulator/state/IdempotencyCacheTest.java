package io.auditpipe.emulator.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class IdempotencyCacheTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final IdempotencyCache cache = new IdempotencyCache(Clock.systemUTC());

  private static IdempotencyCache.Request json(String text) throws Exception {
    byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    return new IdempotencyCache.Request("req_" + text.length(), raw, MAPPER.readTree(raw));
  }

  private static IdempotencyCache.StoredResponse answer(int status) {
    return new IdempotencyCache.StoredResponse(status, "{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theSameBodyIsReplayedAndAnotherBodyConflicts() throws Exception {
    IdempotencyCache.Request event =
        json("{\"organization_id\":\"org_1\",\"event\":{\"action\":\"a\"}}");
    assertThat(cache.apply("sk", "k", event, () -> answer(201)))
        .isInstanceOf(IdempotencyCache.Fresh.class);
    assertThat(
            cache.apply(
                "sk",
                "k",
                json(new String(event.raw(), StandardCharsets.UTF_8).replace(":", ": ")),
                () -> answer(201)))
        .isInstanceOf(IdempotencyCache.Replayed.class);
    assertThat(cache.apply("sk", "k", json("{\"organization_id\":\"org_2\"}"), () -> answer(201)))
        .isInstanceOf(IdempotencyCache.Conflict.class);
  }

  @Test
  void aRequestThatFailedValidationDoesNotHoldItsKeyAgainstTheCompleteRetry() throws Exception {
    // An empty body reads as {} and is answered 422; the complete request's retry must be stored.
    assertThat(cache.apply("sk", "k", json("{}"), () -> answer(422)))
        .isInstanceOf(IdempotencyCache.Fresh.class);
    IdempotencyCache.Request event =
        json("{\"organization_id\":\"org_1\",\"event\":{\"action\":\"a\"}}");
    assertThat(cache.apply("sk", "k", event, () -> answer(201)))
        .isInstanceOf(IdempotencyCache.Fresh.class);
  }

  @Test
  void serverErrorsAreNotStoredButRefusalsAre() throws Exception {
    IdempotencyCache.Request event = json("{\"organization_id\":\"org_1\"}");
    assertThat(cache.apply("sk", "k", event, () -> answer(503)))
        .isInstanceOf(IdempotencyCache.Fresh.class);
    assertThat(cache.apply("sk", "k", event, () -> answer(404)))
        .isInstanceOf(IdempotencyCache.Fresh.class);
    assertThat(cache.apply("sk", "k", event, () -> answer(201)))
        .isInstanceOf(IdempotencyCache.Replayed.class);
  }

  @Test
  void aConflictReportsBothRequestsWithoutTheirContent() throws Exception {
    IdempotencyCache.Request first = json("{\"organization_id\":\"org_1\"}");
    cache.apply("sk", "k", first, () -> answer(201));
    IdempotencyCache.Request other = json("{\"organization_id\":\"org_2\"}");

    IdempotencyCache.Outcome outcome = cache.apply("sk", "k", other, () -> answer(201));

    IdempotencyCache.ConflictReport report = ((IdempotencyCache.Conflict) outcome).report();
    assertThat(report.idempotencyKey()).isEqualTo("k");
    assertThat(report.storedRequestId()).isEqualTo(first.requestId());
    assertThat(report.storedStatus()).isEqualTo(201);
    assertThat(report.requestId()).isEqualTo(other.requestId());
    assertThat(report.storedLength()).isEqualTo(first.raw().length);
    assertThat(report.length()).isEqualTo(other.raw().length);
    assertThat(report.storedSha256()).hasSize(64).isNotEqualTo(report.sha256());
    assertThat(report.firstDifference()).isEqualTo("{\"organization_id\":\"org_".length());
    assertThat(report.describe()).doesNotContain("org_1", "org_2");
    assertThat(cache.conflicts()).containsExactly(report);
  }
}
