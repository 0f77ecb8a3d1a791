package io.auditpipe.workos.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A token bucket whose rate adapts to throttling: additive increase, multiplicative decrease.
 *
 * <p>The bucket starts at its ceiling — this client's share of the key's budget — and holds at most
 * {@code burst} of stored permits, so a client that was idle cannot storm the server. Permits are
 * reserved, not polled: {@link #reserve()} books the next free slot and returns the wait, so
 * callers schedule instead of spinning. A 429 multiplies the rate by {@code decreaseFactor} (once
 * per {@code decreaseCooldown}, since the answers to requests already in flight arrive together)
 * and pauses the bucket for the server's {@code Retry-After}; from then on the rate grows back by
 * {@code recoveryPerSecond} permits/s each second, up to the ceiling. Several clients that share a
 * key and see the same 429s therefore back off together and converge below the limit instead of
 * storming it.
 */
public final class AimdRateLimiter implements RateLimiter {

  private final Clock clock;
  private final double ceiling;
  private final double floor;
  private final double decreaseFactor;
  private final double recoveryPerSecond;
  private final long cooldownNanos;
  private final double burstSeconds;

  private double rate;
  private double stored;
  private long nextFreeNanos;
  private long lastRecoveryNanos;
  private long lastDecreaseNanos = Long.MIN_VALUE / 2;

  /**
   * A limiter with the defaults: floor 5% of the ceiling, halving on 429, recovery of 10% of the
   * ceiling per second (a halved rate is back after 5 s), one decrease per second, 100 ms burst.
   */
  public static AimdRateLimiter withCeiling(double ceilingPerSecond, Clock clock) {
    return new AimdRateLimiter(
        ceilingPerSecond,
        ceilingPerSecond * 0.05,
        0.5,
        ceilingPerSecond * 0.10,
        Duration.ofSeconds(1),
        Duration.ofMillis(100),
        clock);
  }

  /**
   * @param ceilingPerSecond the highest rate, this client's share of the budget
   * @param floorPerSecond the lowest rate decreases can reach
   * @param decreaseFactor the factor in {@code (0, 1)} a 429 multiplies the rate by
   * @param recoveryPerSecond how many permits/s the rate grows per second without throttling
   * @param decreaseCooldown the shortest time between two decreases
   * @param burst how many seconds' worth of permits an idle bucket stores (at least one permit)
   * @param clock the time source
   */
  public AimdRateLimiter(
      double ceilingPerSecond,
      double floorPerSecond,
      double decreaseFactor,
      double recoveryPerSecond,
      Duration decreaseCooldown,
      Duration burst,
      Clock clock) {
    if (!(ceilingPerSecond > 0) || Double.isInfinite(ceilingPerSecond)) {
      throw new IllegalArgumentException(
          "ceiling: expected a positive rate, found " + ceilingPerSecond);
    }
    if (!(floorPerSecond > 0 && floorPerSecond <= ceilingPerSecond)) {
      throw new IllegalArgumentException(
          "floor: expected a rate in (0, ceiling], found " + floorPerSecond);
    }
    if (!(decreaseFactor > 0 && decreaseFactor < 1)) {
      throw new IllegalArgumentException(
          "decreaseFactor: expected a factor in (0, 1), found " + decreaseFactor);
    }
    if (!(recoveryPerSecond >= 0)) {
      throw new IllegalArgumentException(
          "recoveryPerSecond: expected a non-negative rate, found " + recoveryPerSecond);
    }
    this.clock = clock;
    this.ceiling = ceilingPerSecond;
    this.floor = floorPerSecond;
    this.decreaseFactor = decreaseFactor;
    this.recoveryPerSecond = recoveryPerSecond;
    this.cooldownNanos = decreaseCooldown.toNanos();
    this.burstSeconds = burst.toNanos() / 1e9;
    this.rate = ceilingPerSecond;
    long now = nowNanos();
    this.nextFreeNanos = now;
    this.lastRecoveryNanos = now;
    this.stored = 1;
  }

  @Override
  public synchronized Duration reserve() {
    long now = nowNanos();
    recover(now);
    refill(now);
    long wait = Math.max(0, nextFreeNanos - now);
    if (stored >= 1) {
      stored -= 1;
    } else {
      nextFreeNanos += intervalNanos();
    }
    return Duration.ofNanos(wait);
  }

  @Override
  public synchronized void onAccepted() {
    recover(nowNanos());
  }

  @Override
  public synchronized boolean onThrottled(Optional<Duration> retryAfter) {
    long now = nowNanos();
    boolean decreased = false;
    if (now - lastDecreaseNanos >= cooldownNanos) {
      recover(now);
      rate = Math.max(floor, rate * decreaseFactor);
      lastDecreaseNanos = now;
      decreased = true;
    }
    stored = 0;
    long pauseUntil = now + retryAfter.map(Duration::toNanos).orElse(0L);
    // Recovery starts after the pause: growing while nothing may be sent would only overshoot.
    lastRecoveryNanos = Math.max(lastRecoveryNanos, pauseUntil);
    nextFreeNanos = Math.max(nextFreeNanos, pauseUntil);
    return decreased;
  }

  @Override
  public synchronized double ratePerSecond() {
    recover(nowNanos());
    return rate;
  }

  /** The highest rate: this client's share of the budget. */
  public double ceilingPerSecond() {
    return ceiling;
  }

  private void recover(long now) {
    if (now <= lastRecoveryNanos) {
      return;
    }
    if (rate < ceiling) {
      rate = Math.min(ceiling, rate + recoveryPerSecond * ((now - lastRecoveryNanos) / 1e9));
    }
    lastRecoveryNanos = now;
  }

  private void refill(long now) {
    if (now > nextFreeNanos) {
      double maxStored = Math.max(1, rate * burstSeconds);
      stored = Math.min(maxStored, stored + (now - nextFreeNanos) / (double) intervalNanos());
      nextFreeNanos = now;
    }
  }

  private long intervalNanos() {
    return (long) (1e9 / rate);
  }

  private long nowNanos() {
    Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
