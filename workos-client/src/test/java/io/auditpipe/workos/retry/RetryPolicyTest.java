package io.auditpipe.workos.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {

  private final RetryPolicy policy =
      new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(60));

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 502, 503, 504})
  void retryableStatuses(int status) {
    assertThat(RetryPolicy.isRetryableStatus(status)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 400, 401, 403, 404, 409, 422, 501, 505})
  void finalStatuses(int status) {
    assertThat(RetryPolicy.isRetryableStatus(status)).isFalse();
  }

  @Test
  void ceilingDoublesUpToTheMaximum() {
    assertThat(policy.backoffCeiling(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.backoffCeiling(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.backoffCeiling(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backoffCeiling(5)).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy.backoffCeiling(6)).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy.backoffCeiling(1000)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void fullJitterSpansZeroToTheCeiling() {
    assertThat(policy.backoff(3, fixed(0))).isEqualTo(Duration.ZERO);
    assertThat(policy.backoff(3, fixed(Long.MAX_VALUE))).isEqualTo(Duration.ofSeconds(2));
    RandomGenerator r = RandomGenerator.of("L64X128MixRandom");
    for (int i = 0; i < 1000; i++) {
      assertThat(policy.backoff(2, r)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  @Test
  void retryAfterWinsOverJitterAndIsCapped() {
    assertThat(policy.delay(1, Optional.of(Duration.ofSeconds(3)), fixed(0)))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(policy.delay(1, Optional.of(Duration.ofMinutes(10)), fixed(0)))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.delay(1, Optional.empty(), fixed(Long.MAX_VALUE)))
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void attemptsIncludeTheFirst() {
    assertThat(policy.hasAttemptsLeft(3)).isTrue();
    assertThat(policy.hasAttemptsLeft(4)).isFalse();
  }

  /** A generator whose bounded longs are {@code min(value, bound - 1)}. */
  private static RandomGenerator fixed(long value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return value;
      }

      @Override
      public long nextLong(long bound) {
        return Math.min(value, bound - 1);
      }
    };
  }
}
