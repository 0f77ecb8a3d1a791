package io.auditpipe.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkOsAvailabilityTest {

  private final DeliveryPipelineTest.MovableClock clock = new DeliveryPipelineTest.MovableClock();
  private final WorkOsAvailability breaker =
      new WorkOsAvailability(3, Duration.ofSeconds(1), Duration.ofSeconds(4), clock);

  @Test
  void opensAfterConsecutiveTransientFailuresOnly() {
    breaker.onTransientFailure("HTTP 503");
    breaker.onTransientFailure("HTTP 503");
    breaker.onAnswer();
    breaker.onTransientFailure("HTTP 503");
    breaker.onTransientFailure("HTTP 503");
    assertThat(breaker.available()).as("an answer in between resets the count").isTrue();
    breaker.onTransientFailure("connection refused");
    assertThat(breaker.state()).isEqualTo(WorkOsAvailability.State.UNAVAILABLE);
    assertThat(breaker.outages()).isEqualTo(1);
    assertThat(breaker.describeOutage())
        .startsWith("WorkOS unavailable since ")
        .endsWith("(last cause connection refused)");
  }

  @Test
  void probesOneAtATimeAfterACappedDoublingBackoffAndClosesOnAnAnswer() {
    for (int i = 0; i < 3; i++) {
      breaker.onTransientFailure("HTTP 502");
    }
    assertThat(breaker.tryStartProbe()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryStartProbe()).isTrue();
    assertThat(breaker.tryStartProbe()).as("one probe at a time").isFalse();
    assertThat(breaker.state()).isEqualTo(WorkOsAvailability.State.PROBING);

    // Failed probes: 2 s, then 4 s, then capped at 4 s.
    for (long wait : new long[] {2, 4, 4}) {
      breaker.onTransientFailure("HTTP 502");
      clock.advance(Duration.ofSeconds(wait - 1));
      assertThat(breaker.tryStartProbe()).as("before %ss", wait).isFalse();
      clock.advance(Duration.ofSeconds(1));
      assertThat(breaker.tryStartProbe()).as("after %ss", wait).isTrue();
    }
    assertThat(breaker.unavailableFor()).isEqualTo(Duration.ofSeconds(11));
    breaker.onAnswer();
    assertThat(breaker.available()).isTrue();
    assertThat(breaker.unavailableFor()).isZero();
    assertThat(breaker.unavailableTotal()).isEqualTo(Duration.ofSeconds(11));
    assertThat(breaker.availableSince()).isEqualTo(clock.instant());

    // The next outage starts from the first backoff again and is counted.
    for (int i = 0; i < 3; i++) {
      breaker.onTransientFailure("HTTP 502");
    }
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryStartProbe()).isTrue();
    assertThat(breaker.outages()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(5));
    assertThat(breaker.unavailableTotal()).isEqualTo(Duration.ofSeconds(17));
  }
}
