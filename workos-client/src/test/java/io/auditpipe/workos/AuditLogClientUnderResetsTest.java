package io.auditpipe.workos;

import static io.auditpipe.workos.TestEvents.API_KEY;
import static io.auditpipe.workos.TestEvents.ORG;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.core.model.Actor;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.Context;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import io.auditpipe.emulator.faults.FaultKind;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.emulator.state.StoredEvent;
import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12, item 9: retries of one event never conflict with each other. Two clients, each on a
 * fresh connection per round, send numbered events through the emulator's resets before and after
 * storing (which close a shared HTTP/2 connection with dozens of requests in flight), 5xx and 429s.
 * Every event is stored exactly once under its own key, and the emulator never answers any attempt
 * 409 or 422: not even an answer the client never read, since a reset can lose it.
 *
 * <p>Before the emulator checked a body against its {@code Content-Length} and its connection, a
 * stream cut by such a reset was read as an empty body about once in several thousand requests here
 * (a 422 and, when its key was already stored, a 409 conflict); {@code BodyReaderTest} pins the
 * case down.
 */
class AuditLogClientUnderResetsTest {

  private static final int ROUNDS = 8;
  private static final int EVENTS_PER_ROUND = 128;

  @RegisterExtension
  static final WorkOsEmulatorExtension workos =
      WorkOsEmulatorExtension.builder()
          .apiKey(API_KEY)
          .organization(ORG, "acme")
          .noRateLimit()
          .build();

  enum Protocol {
    HTTP_2,
    HTTP_1_1
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void everyEventIsStoredOnceUnderItsKeyAndNoAttemptConflicts(Protocol protocol) throws Exception {
    List<String> notDelivered = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      workos.faults(
          FaultSettings.NONE
              .withNext(
                  FaultKind.STATUS_500,
                  FaultKind.RESET_BEFORE,
                  FaultKind.THROTTLE_429,
                  FaultKind.RESET_AFTER)
              .withSeed(round)
              .withStatusRate(503, 0.01)
              .withResets(0.02, 0.02)
              .withLatency(0, 3));
      List<AuditLogClient> clients = List.of(client(protocol), client(protocol));
      List<CompletableFuture<DeliveryOutcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < EVENTS_PER_ROUND; i++) {
        int n = round * EVENTS_PER_ROUND + i;
        outcomes.add(clients.get(i % 2).send(event(n), key(n)));
      }
      for (CompletableFuture<DeliveryOutcome> f : outcomes) {
        DeliveryOutcome o = f.get(60, TimeUnit.SECONDS);
        if (!(o instanceof DeliveryOutcome.Delivered)) {
          notDelivered.add(o.toString());
        }
      }
      clients.forEach(AuditLogClient::close);
    }

    assertThat(notDelivered).isEmpty();
    assertThat(workos.emulator().idempotencyConflicts()).isEmpty();
    assertThat(workos.counters().requests(409)).isZero();
    assertThat(workos.counters().requests(422)).isZero();
    Map<String, Integer> copies = new HashMap<>();
    for (StoredEvent e : workos.events(ORG)) {
      String key = e.idempotencyKey().orElse("");
      copies.merge(key, 1, Integer::sum);
      // The body stored under a key is that key's event.
      assertThat(key(Integer.parseInt(e.event().actor().id().substring(2)))).isEqualTo(key);
    }
    assertThat(copies)
        .hasSize(ROUNDS * EVENTS_PER_ROUND)
        .allSatisfy((k, n) -> assertThat(n).isOne());
    assertThat(workos.counters().faults("reset_before")).isPositive();
    assertThat(workos.counters().faults("reset_after")).isPositive();
  }

  private static String key(int n) {
    return "key-" + n;
  }

  private static AuditEvent event(int n) {
    return new AuditEvent(
        ORG,
        "order.paid",
        Instant.parse("2026-11-02T03:04:05.678Z"),
        OptionalInt.empty(),
        new Actor("u-" + n, "user", Optional.empty(), Metadata.empty()),
        List.of(new Target("o-" + n, "order", Optional.empty(), Metadata.empty())),
        new Context("10.1.2.3", Optional.empty()),
        Metadata.of(Map.of("total", MetadataValue.of((long) n))));
  }

  private static AuditLogClient client(Protocol protocol) {
    return AuditLogClient.create(
        WorkOsClientConfig.builder(ApiKey.of(API_KEY))
            .baseUrl(workos.baseUrl())
            .requestsPerMinute(0)
            .requestTimeout(Duration.ofSeconds(20))
            .baseBackoff(Duration.ofMillis(1))
            .maxBackoff(Duration.ofMillis(20))
            .maxAttempts(50)
            .maxInFlight(64)
            .httpVersion(HttpClient.Version.valueOf(protocol.name()))
            .build());
  }
}
