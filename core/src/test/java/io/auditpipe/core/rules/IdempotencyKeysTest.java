package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

  @Test
  void sameCoordinatesGiveTheSameKey() {
    assertThat(IdempotencyKeys.fromCoordinates("orders", 2, 42L, "order-paid", 0))
        .isEqualTo(IdempotencyKeys.fromCoordinates("orders", 2, 42L, "order-paid", 0));
  }

  @Test
  void everyCoordinateTakesPart() {
    String key = IdempotencyKeys.fromCoordinates("orders", 2, 42L, "order-paid", 0);
    assertThat(key)
        .isNotEqualTo(IdempotencyKeys.fromCoordinates("orders2", 2, 42L, "order-paid", 0))
        .isNotEqualTo(IdempotencyKeys.fromCoordinates("orders", 3, 42L, "order-paid", 0))
        .isNotEqualTo(IdempotencyKeys.fromCoordinates("orders", 2, 43L, "order-paid", 0))
        .isNotEqualTo(IdempotencyKeys.fromCoordinates("orders", 2, 42L, "order-shipped", 0))
        .isNotEqualTo(IdempotencyKeys.fromCoordinates("orders", 2, 42L, "order-paid", 1));
  }

  @Test
  void partsCannotBeShiftedIntoEachOther() {
    assertThat(IdempotencyKeys.fromEventId("ab", "c", 0))
        .isNotEqualTo(IdempotencyKeys.fromEventId("a", "bc", 0));
    assertThat(IdempotencyKeys.fromEventId("42", "r", 0))
        .isNotEqualTo(IdempotencyKeys.fromCoordinates("42", 0, 0, "r", 0));
  }

  @Test
  void keysHaveAFixedLengthAndRevealNoContent() {
    String key = IdempotencyKeys.fromEventId("evt_" + "x".repeat(500), "rule", 0);
    assertThat(key).hasSize(47).startsWith("ap1-").doesNotContain("evt_").matches("[A-Za-z0-9_-]+");
  }
}
