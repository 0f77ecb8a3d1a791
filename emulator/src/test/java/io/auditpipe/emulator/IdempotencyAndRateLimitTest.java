package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static io.auditpipe.emulator.Http.event;
import static io.auditpipe.emulator.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.emulator.state.RateLimit;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdempotencyAndRateLimitTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
  private WorkOsEmulator emulator;

  private Http start(WorkOsEmulator.Builder b) {
    emulator = b.clock(clock).start();
    return new Http(emulator.baseUrl(), emulator.apiKey());
  }

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void sameKeyAndBodyReplaysTheStoredResponse() throws Exception {
    Http http = start(WorkOsEmulator.builder());

    HttpResponse<String> first = http.post("/audit_logs/events", event(ORG, "a"), "key-1");
    HttpResponse<String> second = http.post("/audit_logs/events", event(ORG, "a"), "key-1");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(201);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(emulator.events(ORG)).hasSize(1);
    assertThat(emulator.events(ORG).get(0).idempotencyKey()).contains("key-1");
    assertThat(emulator.counters().idempotentReplays()).isEqualTo(1);
  }

  @Test
  void replayKeepsTheStoredStatusOfAnError() throws Exception {
    Http http = start(WorkOsEmulator.builder());
    String unknownOrganization = event("org_unknown", "a");

    int status = http.post("/audit_logs/events", unknownOrganization, "k").statusCode();
    assertThat(status).isBetween(400, 404);
    assertThat(http.post("/audit_logs/events", unknownOrganization, "k").statusCode())
        .isEqualTo(status);
    assertThat(emulator.counters().idempotentReplays()).isEqualTo(1);
  }

  @Test
  void aRequestThatFailedValidationIsNotRememberedUnderItsKey() throws Exception {
    Http http = start(WorkOsEmulator.builder());
    String invalid = event(ORG, "a").replace("\"action\":\"a\",", "");

    assertThat(http.post("/audit_logs/events", invalid, "k").statusCode()).isEqualTo(422);
    assertThat(http.post("/audit_logs/events", event(ORG, "a"), "k").statusCode())
        .isBetween(200, 299);
    assertThat(emulator.counters().idempotentReplays()).isZero();
    assertThat(emulator.counters().idempotencyConflicts()).isZero();
    assertThat(emulator.events(ORG)).hasSize(1);
  }

  @Test
  void sameKeyWithAnotherBodyIsAConflictWithTheConfiguredStatus() throws Exception {
    Http http = start(WorkOsEmulator.builder());
    http.post("/audit_logs/events", event(ORG, "a"), "key-1");

    HttpResponse<String> r = http.post("/audit_logs/events", event(ORG, "b"), "key-1");

    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(json(r).path("code").asText()).isEqualTo("idempotency_error");
    assertThat(emulator.events(ORG)).hasSize(1);
    assertThat(emulator.counters().idempotencyConflicts()).isEqualTo(1);
  }

  @Test
  void conflictStatusCanBe400() throws Exception {
    Http http = start(WorkOsEmulator.builder().idempotencyConflictStatus(400));
    http.post("/audit_logs/events", event(ORG, "a"), "key-1");

    assertThat(http.post("/audit_logs/events", event(ORG, "b"), "key-1").statusCode())
        .isEqualTo(400);
  }

  @Test
  void keysExpireAfter24Hours() throws Exception {
    Http http = start(WorkOsEmulator.builder());
    http.post("/audit_logs/events", event(ORG, "a"), "key-1");

    clock.advance(Duration.ofHours(23).plusMinutes(59));
    http.post("/audit_logs/events", event(ORG, "a"), "key-1");
    assertThat(emulator.events(ORG)).hasSize(1);

    clock.advance(Duration.ofMinutes(1));
    HttpResponse<String> afterExpiry = http.post("/audit_logs/events", event(ORG, "b"), "key-1");
    assertThat(afterExpiry.statusCode()).isEqualTo(201);
    assertThat(emulator.events(ORG)).hasSize(2);
  }

  @Test
  void rateLimitCountsPerKeyPerWindowAndAnswers429WithRetryAfter() throws Exception {
    Http http =
        start(
            WorkOsEmulator.builder()
                .apiKey("sk_test_a")
                .apiKey("sk_test_b")
                .rateLimit(Optional.of(new RateLimit(3, Duration.ofSeconds(60)))));
    Http other = new Http(emulator.baseUrl(), "sk_test_b");
    for (int i = 0; i < 3; i++) {
      assertThat(http.post("/audit_logs/events", event(ORG, "a")).statusCode()).isEqualTo(201);
    }
    clock.advance(Duration.ofSeconds(20));

    HttpResponse<String> throttled = http.post("/audit_logs/events", event(ORG, "a"));

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.body())
        .isEqualTo("{\"message\":\"Too many requests.\",\"code\":\"rate_limit_exceeded\"}");
    assertThat(throttled.headers().firstValue("Retry-After")).contains("40");
    assertThat(other.post("/audit_logs/events", event(ORG, "a")).statusCode()).isEqualTo(201);
    assertThat(emulator.counters().throttled()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(40));
    assertThat(http.post("/audit_logs/events", event(ORG, "a")).statusCode()).isEqualTo(201);
  }

  @Test
  void rateLimitCanBeTurnedOff() throws Exception {
    Http http =
        start(
            WorkOsEmulator.builder().rateLimit(Optional.of(new RateLimit(1, Duration.ofHours(1)))));
    emulator.rateLimit(Optional.empty());
    for (int i = 0; i < 5; i++) {
      assertThat(http.post("/audit_logs/events", event(ORG, "a")).statusCode()).isEqualTo(201);
    }
  }

  @Test
  void parsesRateLimitFlags() {
    assertThat(RateLimit.parse("6000/60s")).contains(RateLimit.WORKOS);
    assertThat(RateLimit.parse("10/500ms")).contains(new RateLimit(10, Duration.ofMillis(500)));
    assertThat(RateLimit.parse("off")).isEmpty();
  }
}
