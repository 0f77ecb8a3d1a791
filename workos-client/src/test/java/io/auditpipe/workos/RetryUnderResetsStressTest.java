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
import io.auditpipe.emulator.junit.WorkOsEmulatorExtension;
import io.auditpipe.emulator.state.StoredEvent;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

class RetryUnderResetsStressTest {

  @RegisterExtension
  static final WorkOsEmulatorExtension workos =
      WorkOsEmulatorExtension.builder()
          .apiKey(API_KEY)
          .organization(ORG, "acme")
          .noRateLimit()
          .build();

  static AuditEvent event(int i) {
    return new AuditEvent(
        ORG,
        "order.paid",
        Instant.parse("2026-11-02T03:04:05.678Z"),
        OptionalInt.empty(),
        new Actor("u-" + i, "user", Optional.empty(), Metadata.empty()),
        List.of(new Target("o-" + i, "order", Optional.empty(), Metadata.empty())),
        new Context("10.1.2.3", Optional.empty()),
        Metadata.of(Map.of("total", MetadataValue.of((long) i))));
  }

  @RepeatedTest(5)
  void stress() throws Exception {
    workos.faults(
        FaultSettings.NONE
            .withNext(
                FaultKind.STATUS_500,
                FaultKind.RESET_BEFORE,
                FaultKind.STATUS_502,
                FaultKind.THROTTLE_429,
                FaultKind.RESET_AFTER,
                FaultKind.STATUS_503)
            .withSeed(System.nanoTime())
            .withStatusRate(500, 0.005)
            .withStatusRate(502, 0.005)
            .withStatusRate(503, 0.01)
            .withThrottleBursts(0.002, 3)
            .withResets(0.01, 0.01)
            .withLatency(0, 10));
    int n = 3000;
    try (AuditLogClient client =
        AuditLogClient.builder(
                WorkOsClientConfig.builder(ApiKey.of(API_KEY))
                    .baseUrl(workos.baseUrl())
                    .requestsPerMinute(0)
                    .requestTimeout(Duration.ofSeconds(10))
                    .baseBackoff(Duration.ofMillis(1))
                    .maxBackoff(Duration.ofMillis(20))
                    .maxAttempts(50)
                    .maxInFlight(128)
                    .httpVersion(HttpClient.Version.HTTP_2)
                    .build())
            .build()) {
      List<CompletableFuture<DeliveryOutcome>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(client.send(event(i), "key-" + i));
      }
      List<String> bad = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        DeliveryOutcome o = all.get(i).get(120, TimeUnit.SECONDS);
        if (!(o instanceof DeliveryOutcome.Delivered)) {
          bad.add(i + ": " + o);
        }
      }
      List<String> mismatched = new ArrayList<>();
      for (StoredEvent e : workos.events(ORG)) {
        String key = e.idempotencyKey().orElse("");
        String actor = e.event().actor().id();
        if (!key.equals("key-" + actor.substring(2))) {
          mismatched.add(key + " stored actor " + actor);
        }
      }
      System.out.println("STRESS conflicts=" + workos.counters().idempotencyConflicts()
          + " faults=" + workos.counters().faults() + " stored=" + workos.events(ORG).size()
          + " bad=" + bad.size() + " mismatched=" + mismatched.size());
      assertThat(mismatched).isEmpty();
      assertThat(bad).isEmpty();
      assertThat(workos.counters().idempotencyConflicts()).isZero();
    }
  }
}
