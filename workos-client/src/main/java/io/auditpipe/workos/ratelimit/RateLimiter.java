package io.auditpipe.workos.ratelimit;

import java.time.Duration;
import java.util.Optional;

/** Paces requests to a rate and adapts it to WorkOS's answers. Thread-safe. */
public interface RateLimiter {

  /** A limiter that never waits and ignores throttling: rate limiting off. */
  static RateLimiter unlimited() {
    return Unlimited.INSTANCE;
  }

  /**
   * Takes one permit and returns how long the caller must wait before sending with it (zero when it
   * may send now). Never blocks.
   */
  Duration reserve();

  /** The server answered without throttling. */
  void onAccepted();

  /**
   * The server answered 429, optionally asking for a pause.
   *
   * @return whether the rate was lowered (several throttled answers in quick succession lower it
   *     once)
   */
  boolean onThrottled(Optional<Duration> retryAfter);

  /** The current rate in permits per second ({@code +Infinity} when unlimited). */
  double ratePerSecond();

  /**
   * The client is done with this limiter: a limiter that shares a budget leaves it, so the others
   * may use its part. Idempotent; the default does nothing.
   */
  default void close() {}

  /** The no-op limiter. */
  enum Unlimited implements RateLimiter {
    INSTANCE;

    @Override
    public Duration reserve() {
      return Duration.ZERO;
    }

    @Override
    public void onAccepted() {}

    @Override
    public boolean onThrottled(Optional<Duration> retryAfter) {
      return false;
    }

    @Override
    public double ratePerSecond() {
      return Double.POSITIVE_INFINITY;
    }
  }
}
