package io.auditpipe.workos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeyTest {

  private static final String SECRET = "sk_test_a1b2c3d4e5f6";

  @Test
  void toStringMasksTheKey() {
    ApiKey key = ApiKey.of(SECRET);
    assertThat(key.toString()).doesNotContain(SECRET).doesNotContain("a1b2");
    assertThat(key.reveal()).isEqualTo(SECRET);
  }

  @Test
  void configToStringDoesNotContainTheKey() {
    WorkOsClientConfig config = WorkOsClientConfig.builder(ApiKey.of(SECRET)).build();
    assertThat(config.toString()).doesNotContain(SECRET).contains("sk_****");
  }

  @Test
  void redactReplacesEveryOccurrence() {
    ApiKey key = ApiKey.of(SECRET);
    assertThat(key.redact("bad key " + SECRET + " and " + SECRET))
        .isEqualTo("bad key sk_**** and sk_****");
    assertThat(key.redact("nothing secret")).isEqualTo("nothing secret");
  }

  @Test
  void malformedKeysAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> ApiKey.of("  ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiKey.of("sk_secret\r\nX-Evil: 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("sk_secret")
        .hasMessageContaining("index 9");
  }

  @Test
  void equalityIsByValue() {
    assertThat(ApiKey.of(SECRET)).isEqualTo(ApiKey.of(SECRET)).isNotEqualTo(ApiKey.of("sk_other"));
  }
}
