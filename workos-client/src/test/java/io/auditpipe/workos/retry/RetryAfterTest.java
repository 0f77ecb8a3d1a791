package io.auditpipe.workos.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void seconds() {
    assertThat(RetryAfter.parse(Optional.of("7"), NOW)).contains(Duration.ofSeconds(7));
    assertThat(RetryAfter.parse(Optional.of(" 0 "), NOW)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse(Optional.of("1.5"), NOW)).contains(Duration.ofMillis(1500));
  }

  @Test
  void httpDate() {
    assertThat(RetryAfter.parse(Optional.of("Mon, 23 Nov 2026 10:00:30 GMT"), NOW))
        .contains(Duration.ofSeconds(30));
  }

  @Test
  void pastDateMeansNow() {
    assertThat(RetryAfter.parse(Optional.of("Mon, 23 Nov 2026 09:00:00 GMT"), NOW))
        .contains(Duration.ZERO);
  }

  @Test
  void absentOrGarbageIsEmpty() {
    assertThat(RetryAfter.parse(Optional.empty(), NOW)).isEmpty();
    assertThat(RetryAfter.parse(Optional.of(""), NOW)).isEmpty();
    assertThat(RetryAfter.parse(Optional.of("soon"), NOW)).isEmpty();
    assertThat(RetryAfter.parse(Optional.of("-5"), NOW)).isEmpty();
  }
}
