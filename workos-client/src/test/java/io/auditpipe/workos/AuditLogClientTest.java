package io.auditpipe.workos;

import static io.auditpipe.workos.TestEvents.API_KEY;
import static io.auditpipe.workos.TestEvents.ORG;
import static io.auditpipe.workos.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.emulator.MutableClock;
import io.auditpipe.emulator.faults.FaultKind;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.emulator.state.StoredEvent;
import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import io.auditpipe.workos.api.WorkOsApiClient;
import io.auditpipe.workos.ratelimit.RateLimiter;
import io.auditpipe.workos.time.RecordingScheduler;
import io.auditpipe.workos.time.Scheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuditLogClientTest {

  @RegisterExtension
  static final WorkOsEmulatorExtension workos =
      WorkOsEmulatorExtension.builder()
          .apiKey(API_KEY)
          .organization(ORG, "acme")
          .noRateLimit()
          .build();

  private final MutableClock clock = new MutableClock();
  private final RecordingScheduler scheduler = new RecordingScheduler(clock);

  private WorkOsClientConfig.Builder config() {
    return WorkOsClientConfig.builder(ApiKey.of(API_KEY))
        .baseUrl(workos.baseUrl())
        .requestsPerMinute(0)
        .requestTimeout(Duration.ofSeconds(5));
  }

  /** A limiter that makes every attempt wait an hour: attempts stay parked with the scheduler. */
  private static RateLimiter waitsAnHour() {
    return new RateLimiter() {
      @Override
      public Duration reserve() {
        return Duration.ofHours(1);
      }

      @Override
      public void onAccepted() {}

      @Override
      public boolean onThrottled(Optional<Duration> retryAfter) {
        return false;
      }

      @Override
      public double ratePerSecond() {
        return 1;
      }
    };
  }

  /** A client whose waits are recorded, not slept, and whose jitter is always its ceiling. */
  private AuditLogClient client(WorkOsClientConfig config, DeliveryListener listener) {
    return AuditLogClient.builder(config)
        .clock(clock)
        .scheduler(scheduler)
        .random(maxJitter())
        .listener(listener)
        .build();
  }

  private AuditLogClient client() {
    return client(config().build(), DeliveryListener.NONE);
  }

  private static DeliveryOutcome await(CompletableFuture<DeliveryOutcome> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  @Test
  void deliversTheEventWithItsKey() throws Exception {
    try (AuditLogClient client = client()) {
      DeliveryOutcome o = await(client.send(event(), "key-delivered"));
      assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
      DeliveryOutcome.Delivered d = (DeliveryOutcome.Delivered) o;
      assertThat(d.status()).isEqualTo(201);
      assertThat(d.requestId()).isPresent();
      assertThat(d.attempts()).isEqualTo(1);
    }
    List<StoredEvent> stored = workos.events(ORG);
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).event()).isEqualTo(event());
    assertThat(stored.get(0).idempotencyKey()).contains("key-delivered");
  }

  @Test
  void unknownOrganizationIsRejectedWithWorkOsMessageAndNotRetried() throws Exception {
    try (AuditLogClient client = client()) {
      DeliveryOutcome o = await(client.send(event("org_unknown", "user.signed_in"), "k-404"));
      assertThat(o).isInstanceOf(DeliveryOutcome.Rejected.class);
      DeliveryOutcome.Rejected r = (DeliveryOutcome.Rejected) o;
      assertThat(r.status()).isBetween(400, 404);
      assertThat(r.message()).contains("Organization not found").contains("org_unknown");
      assertThat(r.requestId()).isPresent();
      assertThat(r.attempts()).isEqualTo(1);
    }
    assertThat(
            workos.counters().requestsByStatus().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(1);
    assertThat(scheduler.delays()).isEmpty();
  }

  @Test
  void limitViolationsAreRejectedWithTheirErrors() throws Exception {
    Map<String, MetadataValue> md = new LinkedHashMap<>();
    md.put("not a valid key!", MetadataValue.of("x"));
    var bad = event();
    bad =
        new io.auditpipe.core.model.AuditEvent(
            bad.organizationId(),
            bad.action(),
            bad.occurredAt(),
            bad.version(),
            bad.actor(),
            bad.targets(),
            bad.context(),
            Metadata.of(md));
    try (AuditLogClient client = client()) {
      DeliveryOutcome.Rejected r = (DeliveryOutcome.Rejected) await(client.send(bad, "k-422"));
      assertThat(r.status()).isEqualTo(422);
      assertThat(r.message()).isNotBlank();
      assertThat(r.errors()).isNotEmpty();
      assertThat(r.attempts()).isEqualTo(1);
    }
  }

  @Test
  void schemaViolationIsRejectedWithCodeAndAjvErrors() throws Exception {
    try (WorkOsApiClient api = new WorkOsApiClient(config().build())) {
      api.createSchema(
          "document.shared",
          new ObjectMapper().readTree("{\"targets\":[{\"type\":\"document\"}]}"));
    }
    try (AuditLogClient client = client()) {
      DeliveryOutcome o = await(client.send(event(ORG, "document.shared"), "k-schema"));
      DeliveryOutcome.Rejected r = (DeliveryOutcome.Rejected) o;
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.code()).contains("invalid_audit_log");
      assertThat(r.message()).isEqualTo("Invalid Audit Log event");
      assertThat(r.errors()).isNotEmpty();
      assertThat(r.errors().get(0).has("message")).isTrue();
    }
    assertThat(workos.events(ORG)).isEmpty();
  }

  @Test
  void wrongKeyIsAConfigurationFaultAndNeverEchoed() throws Exception {
    String wrong = "sk_test_wrong_key_abcdef";
    WorkOsClientConfig c = config().apiKey(ApiKey.of(wrong)).build();
    try (AuditLogClient client = client(c, DeliveryListener.NONE)) {
      DeliveryOutcome o = await(client.send(event(), "k-401"));
      assertThat(o).isInstanceOf(DeliveryOutcome.Misconfigured.class);
      DeliveryOutcome.Misconfigured m = (DeliveryOutcome.Misconfigured) o;
      assertThat(m.status()).isEqualTo(401);
      assertThat(m.apiKey()).isTrue();
      assertThat(m.attempts()).isEqualTo(1);
      assertThat(o.toString()).doesNotContain(wrong);
      assertThat(client.toString()).doesNotContain(wrong);
      assertThat(c.toString()).doesNotContain(wrong);
    }
  }

  @Test
  void aBasePathThatLeadsNowhereIsAConfigurationFaultNotTheEvents() throws Exception {
    WorkOsClientConfig c = config().baseUrl(workos.baseUrl() + "/v1").build();
    try (AuditLogClient client = client(c, DeliveryListener.NONE)) {
      DeliveryOutcome o = await(client.send(event(), "k-route"));
      assertThat(o).isInstanceOf(DeliveryOutcome.Misconfigured.class);
      DeliveryOutcome.Misconfigured m = (DeliveryOutcome.Misconfigured) o;
      assertThat(m.status()).isEqualTo(404);
      assertThat(m.apiKey()).isFalse();
    }
    try (AuditLogClient client = client()) {
      // The same status for an unknown organization is the event's own fault.
      assertThat(await(client.send(event("org_unknown", "user.signed_in"), "k-org")))
          .isInstanceOf(DeliveryOutcome.Rejected.class);
    }
    assertThat(workos.events(ORG)).isEmpty();
  }

  @Test
  void serverErrorsAreRetriedWithFullJitterBackoffThenExhausted() throws Exception {
    workos.faults(FaultSettings.NONE.withStatusRate(503, 1.0));
    List<Integer> attemptsSent = new CopyOnWriteArrayList<>();
    DeliveryListener listener =
        new DeliveryListener() {
          @Override
          public void requestSent(int attempt) {
            attemptsSent.add(attempt);
          }
        };
    try (AuditLogClient client = client(config().maxAttempts(4).build(), listener)) {
      DeliveryOutcome o = await(client.send(event(), "k-503"));
      assertThat(o).isInstanceOf(DeliveryOutcome.Exhausted.class);
      DeliveryOutcome.Exhausted e = (DeliveryOutcome.Exhausted) o;
      assertThat(e.attempts()).isEqualTo(4);
      assertThat(e.lastStatus()).hasValue(503);
      assertThat(e.lastCause()).contains("503");
      assertThat(e.toString()).doesNotContain(API_KEY);
    }
    assertThat(attemptsSent).containsExactly(1, 2, 3, 4);
    assertThat(workos.counters().requests(503)).isEqualTo(4);
    // Jitter at its ceiling: 500 ms, 1 s, 2 s.
    assertThat(scheduler.delays())
        .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void retryAfterOfAThrottledAnswerIsHonoured() throws Exception {
    workos.faults(FaultSettings.NONE.withNext(FaultKind.THROTTLE_429));
    try (AuditLogClient client = client()) {
      DeliveryOutcome o = await(client.send(event(), "k-429"));
      assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
      assertThat(o.attempts()).isEqualTo(2);
    }
    // The emulator's Retry-After: 1, not the 500 ms jitter ceiling.
    assertThat(scheduler.delays()).containsExactly(Duration.ofSeconds(1));
    assertThat(workos.events(ORG)).hasSize(1);
  }

  @Test
  void retryAfterIsCapped() throws Exception {
    workos.faults(FaultSettings.NONE.withNext(FaultKind.THROTTLE_429));
    try (AuditLogClient client =
        client(config().retryAfterCap(Duration.ofMillis(250)).build(), DeliveryListener.NONE)) {
      assertThat(await(client.send(event(), "k-429-cap")))
          .isInstanceOf(DeliveryOutcome.Delivered.class);
    }
    assertThat(scheduler.delays()).containsExactly(Duration.ofMillis(250));
  }

  @Test
  void connectionResetAfterTheEventWasStoredLeavesExactlyOneEvent() throws Exception {
    workos.faults(FaultSettings.NONE.withNext(FaultKind.RESET_AFTER));
    try (AuditLogClient client = client()) {
      DeliveryOutcome o = await(client.send(event(), "k-reset-after"));
      assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
      assertThat(o.attempts()).isEqualTo(2);
    }
    // The retry carried the same key: WorkOS answered from its idempotency store.
    assertThat(workos.events(ORG)).hasSize(1);
    assertThat(workos.events(ORG).get(0).idempotencyKey()).contains("k-reset-after");
    assertThat(workos.counters().idempotentReplays()).isEqualTo(1);
    assertThat(workos.counters().faults("reset_after")).isEqualTo(1);
  }

  @Test
  void connectionResetBeforeProcessingIsRetried() throws Exception {
    workos.faults(FaultSettings.NONE.withNext(FaultKind.RESET_BEFORE, FaultKind.STATUS_502));
    try (AuditLogClient client = client()) {
      DeliveryOutcome o = await(client.send(event(), "k-reset-before"));
      assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
      assertThat(o.attempts()).isEqualTo(3);
    }
    assertThat(workos.events(ORG)).hasSize(1);
    assertThat(workos.counters().idempotentReplays()).isZero();
  }

  @Test
  void totalDeadlineEndsRetries() throws Exception {
    workos.faults(FaultSettings.NONE.withStatusRate(500, 1.0));
    WorkOsClientConfig c = config().maxAttempts(10).totalDeadline(Duration.ofMillis(1200)).build();
    try (AuditLogClient client = client(c, DeliveryListener.NONE)) {
      DeliveryOutcome o = await(client.send(event(), "k-deadline"));
      DeliveryOutcome.Exhausted e = (DeliveryOutcome.Exhausted) o;
      // 500 ms + 1 s of backoff would pass the 1.2 s deadline: two attempts only.
      assertThat(e.attempts()).isEqualTo(2);
      assertThat(e.lastCause()).contains("deadline");
    }
  }

  @Test
  void auditTrailFormatPostsTheFlatBody() throws Exception {
    WorkOsClientConfig c = config().format(DeliveryFormat.AUDIT_TRAIL).build();
    try (AuditLogClient client = client(c, DeliveryListener.NONE)) {
      DeliveryOutcome o = await(client.send(event(ORG, "user.created"), "k-trail"));
      assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
    }
    assertThat(workos.counters().requests(201)).isEqualTo(1);
    HttpResponse<String> listed =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(workos.baseUrl() + "/events?group%5B%5D=" + ORG))
                    .header("Authorization", "Bearer " + API_KEY)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(listed.statusCode()).isEqualTo(200);
    JsonNode stored = new ObjectMapper().readTree(listed.body()).path("data").path(0);
    assertThat(stored.path("group").asText()).isEqualTo(ORG);
    assertThat(stored.path("action").asText()).isEqualTo("user.created");
    assertThat(stored.path("action_type").asText()).isEqualTo("C");
    assertThat(stored.path("actor_id").asText()).isEqualTo("user_1");
    assertThat(stored.path("actor_name").asText()).isEqualTo("Jon");
    assertThat(stored.path("target_id").asText()).isEqualTo("team_1");
    assertThat(stored.path("location").asText()).isEqualTo("203.0.113.7");
    assertThat(stored.path("occurred_at").asText()).isEqualTo("2026-11-23T10:15:30.123Z");
  }

  @Test
  void trySendRefusesWithoutBlockingWhenEverySlotIsTaken() throws Exception {
    List<Runnable> parked = new ArrayList<>();
    Scheduler holding = (delay, task) -> parked.add(task);
    RateLimiter slow = waitsAnHour();
    WorkOsClientConfig c = config().maxInFlight(2).capacityWait(Duration.ofMillis(50)).build();
    try (AuditLogClient client =
        AuditLogClient.builder(c).scheduler(holding).rateLimiter(slow).build()) {
      Optional<CompletableFuture<DeliveryOutcome>> first = client.trySend(event(), "k-1");
      Optional<CompletableFuture<DeliveryOutcome>> second = client.trySend(event(), "k-2");
      assertThat(first).isPresent();
      assertThat(second).isPresent();
      assertThat(client.availableCapacity()).isZero();
      assertThat(client.inFlight()).isEqualTo(2);
      assertThat(client.trySend(event(), "k-3")).isEmpty();
      assertThatThrownBy(() -> client.send(event(), "k-4"))
          .isInstanceOf(CapacityExceededException.class)
          .hasMessageContaining("2 in-flight slots");
      // Releasing the parked attempts delivers them and frees the slots.
      parked.forEach(Runnable::run);
      assertThat(await(first.get())).isInstanceOf(DeliveryOutcome.Delivered.class);
      assertThat(await(second.get())).isInstanceOf(DeliveryOutcome.Delivered.class);
      assertThat(client.availableCapacity()).isEqualTo(2);
    }
  }

  @Test
  void closeCompletesPendingEventsAsExhausted() throws Exception {
    Scheduler never = (delay, task) -> {};
    RateLimiter paused = waitsAnHour();
    AuditLogClient client =
        AuditLogClient.builder(config().build()).scheduler(never).rateLimiter(paused).build();
    CompletableFuture<DeliveryOutcome> pending = client.send(event(), "k-closed");
    client.close();
    DeliveryOutcome o = await(pending);
    assertThat(o).isInstanceOf(DeliveryOutcome.Exhausted.class);
    assertThat(((DeliveryOutcome.Exhausted) o).lastCause()).contains("closed");
    assertThatThrownBy(() -> client.send(event(), "k-after"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(workos.events(ORG)).isEmpty();
  }

  @Test
  void listenerSeesRequestsRetriesAndOutcomes() throws Exception {
    workos.faults(FaultSettings.NONE.withNext(FaultKind.STATUS_500));
    List<String> seen = new CopyOnWriteArrayList<>();
    DeliveryListener listener =
        new DeliveryListener() {
          @Override
          public void requestSent(int attempt) {
            seen.add("sent " + attempt);
          }

          @Override
          public void responseReceived(int status, Duration latency) {
            seen.add("status " + status);
          }

          @Override
          public void retryScheduled(int nextAttempt, Duration delay, String cause) {
            seen.add("retry " + nextAttempt);
          }

          @Override
          public void outcome(DeliveryOutcome outcome, Duration elapsed) {
            seen.add("outcome " + outcome.getClass().getSimpleName());
            throw new IllegalStateException("a broken listener must not break delivery");
          }
        };
    try (AuditLogClient client = client(config().build(), listener)) {
      assertThat(await(client.send(event(), "k-listener")))
          .isInstanceOf(DeliveryOutcome.Delivered.class);
    }
    assertThat(seen)
        .containsExactly(
            "sent 1", "status 500", "retry 2", "sent 2", "status 201", "outcome Delivered");
  }

  /**
   * Over HTTP/1.1: a reset under HTTP/2 fails every stream of the connection, so these per-request
   * rates would compound (the HTTP/2 reset is covered in {@link AuditLogClientProtocolsTest}).
   */
  @Test
  void manyConcurrentEventsAreEachStoredOnce() throws Exception {
    workos.faults(FaultSettings.NONE.withSeed(7).withStatusRate(503, 0.2).withResets(0.05, 0.05));
    List<CompletableFuture<DeliveryOutcome>> all = new ArrayList<>();
    try (AuditLogClient client =
        AuditLogClient.builder(
                config()
                    .maxInFlight(16)
                    .httpVersion(HttpClient.Version.HTTP_1_1)
                    .maxAttempts(10)
                    .baseBackoff(Duration.ofMillis(1))
                    .maxBackoff(Duration.ofMillis(5))
                    .build())
            .build()) {
      for (int i = 0; i < 300; i++) {
        all.add(client.send(event(), "k-many-" + i));
      }
      for (CompletableFuture<DeliveryOutcome> f : all) {
        assertThat(await(f)).isInstanceOf(DeliveryOutcome.Delivered.class);
      }
    }
    assertThat(workos.events(ORG)).hasSize(300);
  }

  /** Jitter at its ceiling, so backoff delays are exact. */
  private static RandomGenerator maxJitter() {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return Long.MAX_VALUE;
      }

      @Override
      public long nextLong(long bound) {
        return bound - 1;
      }
    };
  }
}
