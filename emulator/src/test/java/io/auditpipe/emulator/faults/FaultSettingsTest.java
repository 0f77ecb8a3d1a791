package io.auditpipe.emulator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultSettingsTest {

  /** Every field differs from {@link FaultSettings#NONE} and from the values the tests set. */
  private static final FaultSettings BASE =
      new FaultSettings(
          9, 0.01, 0.02, 0.03, 0.04, 2, 3, 4, 0.05, 0.06, 0.07, 8, List.of(FaultKind.RESET_AFTER));

  @Test
  void eachCopyMethodChangesOnlyItsOwnFields() {
    assertThat(BASE.withSeed(42))
        .isEqualTo(
            new FaultSettings(
                42, 0.01, 0.02, 0.03, 0.04, 2, 3, 4, 0.05, 0.06, 0.07, 8, BASE.next()));
    assertThat(BASE.withNext(FaultKind.RESET_BEFORE, FaultKind.RESET_AFTER))
        .isEqualTo(
            new FaultSettings(
                9,
                0.01,
                0.02,
                0.03,
                0.04,
                2,
                3,
                4,
                0.05,
                0.06,
                0.07,
                8,
                List.of(FaultKind.RESET_BEFORE, FaultKind.RESET_AFTER)));
    assertThat(BASE.withThrottleBursts(0.5, 7))
        .isEqualTo(
            new FaultSettings(9, 0.01, 0.02, 0.03, 0.5, 7, 3, 4, 0.05, 0.06, 0.07, 8, BASE.next()));
    assertThat(BASE.withLatency(10, 20))
        .isEqualTo(
            new FaultSettings(
                9, 0.01, 0.02, 0.03, 0.04, 2, 10, 20, 0.05, 0.06, 0.07, 8, BASE.next()));
    assertThat(BASE.withResets(0.5, 0.6))
        .isEqualTo(
            new FaultSettings(9, 0.01, 0.02, 0.03, 0.04, 2, 3, 4, 0.5, 0.6, 0.07, 8, BASE.next()));
    assertThat(BASE.withSlowResponses(0.5, 900))
        .isEqualTo(
            new FaultSettings(
                9, 0.01, 0.02, 0.03, 0.04, 2, 3, 4, 0.05, 0.06, 0.5, 900, BASE.next()));
  }

  @Test
  void statusRateSetsTheRateOfThatStatusOnly() {
    assertThat(BASE.withStatusRate(500, 0.5).status500Rate()).isEqualTo(0.5);
    assertThat(BASE.withStatusRate(502, 0.5))
        .isEqualTo(
            new FaultSettings(9, 0.01, 0.5, 0.03, 0.04, 2, 3, 4, 0.05, 0.06, 0.07, 8, BASE.next()));
    assertThat(BASE.withStatusRate(503, 0.5).status503Rate()).isEqualTo(0.5);
    assertThat(BASE.withStatusRate(504, 0.5)).isEqualTo(BASE);
  }

  @Test
  void copiesAreValidatedLikeNewSettings() {
    assertThatThrownBy(() -> BASE.withLatency(5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latency: expected 0 <= latency_min_ms <= latency_max_ms, found 5 and 1");
    assertThatThrownBy(() -> BASE.withThrottleBursts(0.5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("throttle_burst_length:");
  }
}
