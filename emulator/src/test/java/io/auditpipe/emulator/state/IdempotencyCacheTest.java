package io.auditpipe.emulator.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class IdempotencyCacheTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final IdempotencyCache cache = new IdempotencyCache(Clock.systemUTC());

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text);
  }

  private static IdempotencyCache.StoredResponse answer(int status) {
    return new IdempotencyCache.StoredResponse(status, "{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theSameBodyIsReplayedAndAnotherBodyConflicts() throws Exception {
    JsonNode event = json("{\"organization_id\":\"org_1\",\"event\":{\"action\":\"a\"}}");
    assertThat(cache.apply("sk", "k", event, () -> answer(201)))
        .isInstanceOf(IdempotencyCache.Fresh.class);
    assertThat(cache.apply("sk", "k", json(event.toString()), () -> answer(201)))
        .isInstanceOf(IdempotencyCache.Replayed.class);
    assertThat(cache.apply("sk", "k", json("{\"organization_id\":\"org_2\"}"), () -> answer(201)))
        .isInstanceOf(IdempotencyCache.Conflict.class);
  }

  @Test
  void aRequestThatFailedValidationDoesNotHoldItsKeyAgainstTheCompleteRetry() throws Exception {
    // An empty body reads as {} and is answered 422; the complete request's retry must be stored.
    assertThat(cache.apply("sk", "k", json("{}"), () -> answer(422)))
        .isInstanceOf(IdempotencyCache.Fresh.class);
    JsonNode event = json("{\"organization_id\":\"org_1\",\"event\":{\"action\":\"a\"}}");
    assertThat(cache.apply("sk", "k", event, () -> answer(201)))
        .isInstanceOf(IdempotencyCache.Fresh.class);
  }

  @Test
  void serverErrorsAreNotStoredButRefusalsAre() throws Exception {
    JsonNode event = json("{\"organization_id\":\"org_1\"}");
    assertThat(cache.apply("sk", "k", event, () -> answer(503)))
        .isInstanceOf(IdempotencyCache.Fresh.class);
    assertThat(cache.apply("sk", "k", event, () -> answer(404)))
        .isInstanceOf(IdempotencyCache.Fresh.class);
    assertThat(cache.apply("sk", "k", event, () -> answer(201)))
        .isInstanceOf(IdempotencyCache.Replayed.class);
  }
}
