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

  /** Keys are persisted by WorkOS: these values must never change. */
  @Test
  void keyValuesAreStable() {
    assertThat(IdempotencyKeys.fromEventId("evt_01JGZ8Q4M2N7P5R6S9T0V1W2X3", "order-events", 0))
        .isEqualTo("ap1-JQRgWyfhZF-9vf5WgncOxs5Kl8RaOLhbQPGW6sadi0I");
    assertThat(IdempotencyKeys.fromCoordinates("orders", 2, 42L, "order-paid", 0))
        .isEqualTo("ap1-wdF39vauIy7yBUjByq4fdMOGcq4TycRh_qXgxzLjgN4");
    assertThat(IdempotencyKeys.fromEventId("\u00e9\u2713", "r\u00e8gle", 3))
        .isEqualTo("ap1-hd5KNPiLU4xYe0WhNQdqih76umD3RGh7hZVUKslq3_Y");
    assertThat(IdempotencyKeys.fromCoordinates("t", 0, 12345678901L, "r", 12))
        .isEqualTo("ap1-k32v1SEG6hZPR7hz_qj6MOUBwXxTKthfSLvQZwlZui8");
  }

  @Test
  void keysOfOneRuleAreTheKeysOfThatRule() {
    IdempotencyKeys.RuleKeys keys = IdempotencyKeys.forRule("r\u00e8gle", 3);
    assertThat(keys.fromEventId("\u00e9\u2713"))
        .isEqualTo("ap1-hd5KNPiLU4xYe0WhNQdqih76umD3RGh7hZVUKslq3_Y");
    assertThat(keys.fromCoordinates("orders", 2, 42L))
        .isEqualTo(IdempotencyKeys.fromCoordinates("orders", 2, 42L, "r\u00e8gle", 3));
    // The digest is reused per thread: one key after another must not carry state over.
    assertThat(keys.fromEventId("a")).isEqualTo(keys.fromEventId("a"));
  }
}
