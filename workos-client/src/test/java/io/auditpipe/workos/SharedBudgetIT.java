package io.auditpipe.workos;

import static io.auditpipe.workos.TestEvents.API_KEY;
import static io.auditpipe.workos.TestEvents.ORG;
import static io.auditpipe.workos.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.emulator.junit.WorkOsEmulatorExtension;
import io.auditpipe.emulator.state.RateLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four clients share one API key's budget against the emulator's real limiter (200 requests per 1 s
 * window, WorkOS's 6,000/60 s scaled down so the test takes seconds). First the emulator injects
 * bursts of 429s — someone else spending the budget — and the clients' shares shrink; then
 * throttling stops: the shares recover to their ceiling and, after the adaptation period, not one
 * request goes beyond the real limit.
 */
class SharedBudgetIT {

  private static final int LIMIT = 200;
  private static final int CLIENTS = 4;

  @RegisterExtension
  static final WorkOsEmulatorExtension workos =
      WorkOsEmulatorExtension.builder()
          .apiKey(API_KEY)
          .organization(ORG, "acme")
          .rateLimit(Optional.of(new RateLimit(LIMIT, Duration.ofSeconds(1))))
          .build();

  @Test
  void clientsSharingABudgetBackOffTogetherAndRecover() throws Exception {
    WorkOsClientConfig config =
        WorkOsClientConfig.builder(ApiKey.of(API_KEY))
            .baseUrl(workos.baseUrl())
            .requestsPerMinute(LIMIT * 60)
            .shareCount(CLIENTS)
            .safetyMargin(0.1)
            .maxInFlight(8)
            .maxAttempts(20)
            .totalDeadline(Duration.ofSeconds(60))
            .build();
    double ceiling = config.shareRequestsPerSecond();
    LongAdder delivered = new LongAdder();
    LongAdder lost = new LongAdder();
    List<AuditLogClient> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(AuditLogClient.create(config));
    }
    // Connected and warm before the phases are timed: a cold client's first exchange (class
    // loading, the first connection) took seconds on a loaded machine.
    for (int i = 0; i < CLIENTS; i++) {
      assertThat(clients.get(i).send(event(), "warm-" + i).get(30, TimeUnit.SECONDS))
          .isInstanceOf(DeliveryOutcome.Delivered.class);
    }
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> producers = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      AuditLogClient client = clients.get(c);
      String prefix = "c" + c + "-";
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; running.get(); i++) {
                  client
                      .send(event(), prefix + i)
                      .thenAccept(
                          o -> {
                            if (o instanceof DeliveryOutcome.Delivered) {
                              delivered.increment();
                            } else {
                              lost.increment();
                            }
                          });
                }
              });
      t.setDaemon(true);
      t.start();
      producers.add(t);
    }
    try {
      // Phase 1 (2 s): bursts of injected 429s.
      workos.faults(FaultSettings.NONE.withSeed(11).withThrottleBursts(0.05, 10));
      Thread.sleep(2000);
      double throttledRate =
          clients.stream().mapToDouble(AuditLogClient::currentRatePerSecond).max().orElseThrow();
      assertThat(throttledRate).isLessThan(ceiling * 0.75);
      workos.faults(FaultSettings.NONE);

      // Phase 2: the shares recover (halved twice or more, +10% of the ceiling per second).
      long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
      while (System.nanoTime() < deadline
          && clients.stream().anyMatch(c -> c.currentRatePerSecond() < ceiling)) {
        Thread.sleep(100);
      }
      for (AuditLogClient c : clients) {
        assertThat(c.currentRatePerSecond()).isEqualTo(ceiling);
      }

      // Phase 3 (3 s) at full share: the real limiter throttles nothing and the key's budget is
      // used at the shares' sum (180/s of 200/s).
      long throttledBefore = workos.counters().throttled();
      long deliveredBefore = delivered.sum();
      long t0 = System.nanoTime();
      Thread.sleep(3000);
      double rate = (delivered.sum() - deliveredBefore) / ((System.nanoTime() - t0) / 1e9);
      assertThat(workos.counters().throttled()).isEqualTo(throttledBefore);
      assertThat(rate).isBetween(LIMIT * 0.8, (double) LIMIT);
    } finally {
      running.set(false);
      for (Thread t : producers) {
        t.join(10_000);
      }
      clients.forEach(AuditLogClient::close);
    }
    assertThat(workos.counters().throttled()).as("requests beyond the real limit").isZero();
  }
}
