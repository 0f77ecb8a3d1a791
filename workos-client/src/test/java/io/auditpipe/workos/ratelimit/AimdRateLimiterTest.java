package io.auditpipe.workos.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.auditpipe.emulator.MutableClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AimdRateLimiterTest {

  private final MutableClock clock = new MutableClock();

  @Test
  void pacesAtTheCeilingWithoutWaitingThreads() {
    AimdRateLimiter limiter = AimdRateLimiter.withCeiling(10, clock);
    assertThat(limiter.reserve()).isEqualTo(Duration.ZERO);
    // Reservations book consecutive 100 ms slots.
    assertThat(limiter.reserve()).isEqualTo(Duration.ZERO);
    assertThat(limiter.reserve()).isEqualTo(Duration.ofMillis(100));
    assertThat(limiter.reserve()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void sustainedThroughputMatchesTheCeiling() {
    AimdRateLimiter limiter = AimdRateLimiter.withCeiling(24.5, clock);
    int sent = 0;
    // Simulate 60 s of a caller that sends whenever its reservation comes due.
    Duration elapsed = Duration.ZERO;
    while (elapsed.compareTo(Duration.ofSeconds(60)) < 0) {
      Duration wait = limiter.reserve();
      clock.advance(wait);
      elapsed = elapsed.plus(wait);
      sent++;
    }
    assertThat(sent).isBetween(1470 - 3, 1470 + 3);
  }

  @Test
  void idleTimeStoresOnlyASmallBurst() {
    AimdRateLimiter limiter = AimdRateLimiter.withCeiling(100, clock);
    limiter.reserve();
    clock.advance(Duration.ofSeconds(60));
    int immediate = 0;
    while (limiter.reserve().isZero()) {
      immediate++;
    }
    // 100 ms of burst at 100/s (10 stored permits) plus the slot due now: 11, not the 6,000 an
    // unbounded bucket would have saved.
    assertThat(immediate).isEqualTo(11);
  }

  @Test
  void throttlingHalvesTheRateOncePerCooldownAndPauses() {
    AimdRateLimiter limiter = AimdRateLimiter.withCeiling(100, clock);
    assertThat(limiter.onThrottled(Optional.of(Duration.ofSeconds(2)))).isTrue();
    assertThat(limiter.ratePerSecond()).isCloseTo(50, within(1e-9));
    // The answers of requests that were already in flight do not lower it again.
    assertThat(limiter.onThrottled(Optional.of(Duration.ofSeconds(2)))).isFalse();
    assertThat(limiter.ratePerSecond()).isCloseTo(50, within(1e-9));
    // Nothing goes out before the Retry-After pause ends.
    assertThat(limiter.reserve()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void recoversAdditivelyToTheCeilingWhenThrottlingStops() {
    AimdRateLimiter limiter = AimdRateLimiter.withCeiling(100, clock);
    limiter.onThrottled(Optional.empty());
    assertThat(limiter.ratePerSecond()).isCloseTo(50, within(1e-9));
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.ratePerSecond()).isCloseTo(60, within(1e-6));
    clock.advance(Duration.ofSeconds(2));
    assertThat(limiter.ratePerSecond()).isCloseTo(80, within(1e-6));
    clock.advance(Duration.ofSeconds(10));
    assertThat(limiter.ratePerSecond()).isCloseTo(100, within(1e-9));
  }

  @Test
  void recoveryWaitsForThePauseToEnd() {
    AimdRateLimiter limiter = AimdRateLimiter.withCeiling(100, clock);
    limiter.onThrottled(Optional.of(Duration.ofSeconds(5)));
    clock.advance(Duration.ofSeconds(5));
    assertThat(limiter.ratePerSecond()).isCloseTo(50, within(1e-9));
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.ratePerSecond()).isCloseTo(60, within(1e-6));
  }

  @Test
  void repeatedThrottlingStopsAtTheFloor() {
    AimdRateLimiter limiter =
        new AimdRateLimiter(100, 5, 0.5, 0, Duration.ofSeconds(1), Duration.ofMillis(100), clock);
    for (int i = 0; i < 20; i++) {
      limiter.onThrottled(Optional.empty());
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(limiter.ratePerSecond()).isCloseTo(5, within(1e-9));
  }

  @Test
  void fourClientsThatOverestimateTheirShareConvergeBelowTheLimit() {
    // Four clients each believing they own the whole 100/s budget, against a server that throttles
    // whenever the sum of their rates exceeds it: AIMD brings the sum under the limit and keeps it
    // oscillating around it, instead of 4x.
    AimdRateLimiter[] clients = new AimdRateLimiter[4];
    for (int i = 0; i < 4; i++) {
      clients[i] = AimdRateLimiter.withCeiling(100, clock);
    }
    double sumOverLastTenSeconds = 0;
    for (int tenth = 0; tenth < 600; tenth++) {
      double sum = 0;
      for (AimdRateLimiter c : clients) {
        sum += c.ratePerSecond();
      }
      if (sum > 100) {
        for (AimdRateLimiter c : clients) {
          c.onThrottled(Optional.empty());
        }
      }
      if (tenth >= 500) {
        sumOverLastTenSeconds += sum;
      }
      clock.advance(Duration.ofMillis(100));
    }
    double average = sumOverLastTenSeconds / 100;
    assertThat(average).isBetween(50.0, 105.0);
  }
}
