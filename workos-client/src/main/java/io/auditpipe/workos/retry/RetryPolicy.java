package io.auditpipe.workos.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When and how long to wait before trying again. Retryable: 408, 429, 500, 502, 503, 504 and I/O
 * errors (the statuses the official WorkOS SDKs retry); every other status is final. The delay is
 * exponential backoff with full jitter — uniform in {@code [0, min(maxBackoff, baseBackoff ·
 * 2^(n-1))]} after the n-th failed attempt — unless the answer carried {@code Retry-After}, which
 * is honoured up to {@code retryAfterCap}.
 *
 * @param maxAttempts attempts per event, the first included
 * @param baseBackoff the jitter ceiling after the first failure
 * @param maxBackoff the largest jitter ceiling
 * @param retryAfterCap the longest {@code Retry-After} honoured
 */
public record RetryPolicy(
    int maxAttempts, Duration baseBackoff, Duration maxBackoff, Duration retryAfterCap) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts: expected at least 1, found " + maxAttempts);
    }
    Objects.requireNonNull(baseBackoff, "baseBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(retryAfterCap, "retryAfterCap");
  }

  /** Whether an answer with this status may succeed when sent again. */
  public static boolean isRetryableStatus(int status) {
    return switch (status) {
      case 408, 429, 500, 502, 503, 504 -> true;
      default -> false;
    };
  }

  /** Whether another attempt is allowed after {@code attemptsMade} attempts. */
  public boolean hasAttemptsLeft(int attemptsMade) {
    return attemptsMade < maxAttempts;
  }

  /** The jitter ceiling after {@code failedAttempts} failures: {@code min(max, base·2^(n-1))}. */
  public Duration backoffCeiling(int failedAttempts) {
    int shift = Math.max(0, Math.min(failedAttempts - 1, 30));
    long base = baseBackoff.toNanos();
    long max = maxBackoff.toNanos();
    long ceiling = base > (max >> shift) ? max : base << shift;
    return Duration.ofNanos(Math.min(ceiling, max));
  }

  /** A full-jitter backoff after {@code failedAttempts} failures. */
  public Duration backoff(int failedAttempts, RandomGenerator random) {
    long ceiling = backoffCeiling(failedAttempts).toNanos();
    return Duration.ofNanos(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
  }

  /**
   * The delay before the next attempt: the server's {@code Retry-After} (capped) when it sent one,
   * else a full-jitter backoff.
   */
  public Duration delay(int failedAttempts, Optional<Duration> retryAfter, RandomGenerator random) {
    return retryAfter.map(this::cap).orElseGet(() -> backoff(failedAttempts, random));
  }

  /**
   * A server's {@code Retry-After}, capped at {@link #retryAfterCap()}: the one place it is capped.
   */
  public Duration cap(Duration retryAfter) {
    return retryAfter.compareTo(retryAfterCap) > 0 ? retryAfterCap : retryAfter;
  }
}
