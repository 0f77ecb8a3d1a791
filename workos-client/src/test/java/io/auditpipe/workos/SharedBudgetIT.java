package io.auditpipe.workos;

import static io.auditpipe.workos.TestEvents.API_KEY;
import static io.auditpipe.workos.TestEvents.ORG;
import static io.auditpipe.workos.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.emulator.state.RateLimit;
import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
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
 * Clients sharing one API key's budget against the emulator's real limiter (WorkOS's 6,000/60 s
 * scaled down so the test takes seconds). Four busy clients: first the emulator injects bursts of
 * 429s — someone else spending the budget — and the clients' shares shrink; then throttling stops:
 * the shares recover to their ceiling and, after the adaptation period, not one request goes beyond
 * the real limit. Two clients with all the load on one: that one uses the whole limit.
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
                  var unused =
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
      // Phase 1: bursts of injected 429s, until some have been answered (a loaded machine sends
      // fewer requests in a given time).
      long injectedBefore = workos.counters().requests(429);
      workos.faults(FaultSettings.NONE.withSeed(11).withThrottleBursts(0.05, 10));
      long phase1 = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (workos.counters().requests(429) - injectedBefore < 10 && System.nanoTime() < phase1) {
        Thread.sleep(50);
      }
      Thread.sleep(200);
      // The clients' shares add up to what the key's budget in this JVM allows now.
      double throttledRate =
          clients.stream().mapToDouble(AuditLogClient::currentRatePerSecond).sum();
      assertThat(throttledRate).isLessThan(CLIENTS * ceiling * 0.75);
      workos.faults(FaultSettings.NONE);

      // Phase 2: the shares recover (halved twice or more, +10% of the ceiling per second).
      long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
      while (System.nanoTime() < deadline
          && clients.stream().anyMatch(c -> c.currentRatePerSecond() < ceiling - 1e-6)) {
        Thread.sleep(100);
      }
      for (AuditLogClient c : clients) {
        assertThat(c.currentRatePerSecond()).isCloseTo(ceiling, within(1e-6));
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

  /**
   * Two clients share the key (as {@code tasks.max=2} does), all the load on one: it reaches at
   * least 95% of the emulator's limit (100 per 10 s window) with at most 1% of requests throttled.
   */
  @Test
  void aLoneBusyClientUsesTheWholeLimitWhileTheOtherIsIdle() throws Exception {
    int limit = 100;
    Duration window = Duration.ofSeconds(10);
    workos.emulator().rateLimit(Optional.of(new RateLimit(limit, window)));
    WorkOsClientConfig config =
        WorkOsClientConfig.builder(ApiKey.of(API_KEY))
            .baseUrl(workos.baseUrl())
            .requestsPerMinute(limit * 6)
            .shareCount(2)
            .safetyMargin(0.02)
            // 3 s of reservations: the budget, not a slow answer on a loaded machine, is the limit.
            .maxInFlight(32)
            .maxAttempts(20)
            .totalDeadline(Duration.ofSeconds(60))
            .build();
    LongAdder delivered = new LongAdder();
    LongAdder lost = new LongAdder();
    AtomicBoolean running = new AtomicBoolean(true);
    LongAdder sent = new LongAdder();
    AuditLogClient busy = AuditLogClient.create(config);
    AuditLogClient idle = AuditLogClient.create(config);
    Thread producer =
        new Thread(
            () -> {
              for (int i = 0; running.get(); i++) {
                sent.increment();
                var unused =
                    busy.send(event(), "skew-" + i)
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
    producer.setDaemon(true);
    try {
      assertThat(idle.send(event(), "skew-idle").get())
          .isInstanceOf(DeliveryOutcome.Delivered.class);
      producer.start();
      Thread.sleep(2_000);
      long requestsBefore = requests();
      long throttledBefore = workos.counters().throttled();
      long deliveredBefore = delivered.sum();
      long t0 = System.nanoTime();
      Thread.sleep(3 * window.toMillis());
      long deliveredIn = delivered.sum() - deliveredBefore;
      double seconds = (System.nanoTime() - t0) / 1e9;
      long requests = requests() - requestsBefore;
      long throttled = workos.counters().throttled() - throttledBefore;

      double utilisation = deliveredIn / (seconds * limit / window.toSeconds());
      assertThat(utilisation)
          .as("%d delivered in %.1f s of %d per %s", deliveredIn, seconds, limit, window)
          .isGreaterThanOrEqualTo(0.95);
      assertThat(throttled).as("429s of %d requests", requests).isLessThanOrEqualTo(requests / 100);
    } finally {
      running.set(false);
      producer.join(10_000);
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (delivered.sum() + lost.sum() < sent.sum() && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      busy.close();
      idle.close();
      workos.emulator().rateLimit(Optional.of(new RateLimit(LIMIT, Duration.ofSeconds(1))));
    }
    assertThat(lost.sum()).isZero();
  }

  private static long requests() {
    return workos.counters().requestsByStatus().values().stream().mapToLong(Long::longValue).sum();
  }
}
