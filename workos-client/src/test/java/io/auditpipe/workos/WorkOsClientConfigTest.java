package io.auditpipe.workos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.auditpipe.workos.retry.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkOsClientConfigTest {

  private static final ApiKey KEY = ApiKey.of("sk_test_123");

  @Test
  void defaultsFollowWorkOsAndTheSdks() {
    WorkOsClientConfig c = WorkOsClientConfig.builder(KEY).build();
    assertThat(c.baseUrl()).isEqualTo(URI.create("https://api.workos.com"));
    assertThat(c.format()).isEqualTo(DeliveryFormat.AUDIT_LOGS);
    assertThat(c.requestsPerMinute()).isEqualTo(6000);
    assertThat(c.maxAttempts()).isEqualTo(4);
    assertThat(c.baseBackoff()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.maxBackoff()).isEqualTo(Duration.ofSeconds(8));
    assertThat(c.retryAfterCap()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.userAgent()).startsWith("auditpipe/").doesNotContain("${");
  }

  @Test
  void shareIsTheBudgetLessTheMarginDividedByTheShareCount() {
    WorkOsClientConfig c = WorkOsClientConfig.builder(KEY).safetyMargin(0.02).shareCount(4).build();
    assertThat(c.shareRequestsPerSecond()).isCloseTo(100 * 0.98 / 4, within(1e-9));
    assertThat(c.rateLimited()).isTrue();
    assertThat(c.toBuilder().requestsPerMinute(0).build().rateLimited()).isFalse();
  }

  @Test
  void retryPolicyCarriesTheRetrySettings() {
    WorkOsClientConfig c =
        WorkOsClientConfig.builder(KEY)
            .maxAttempts(7)
            .baseBackoff(Duration.ofMillis(20))
            .maxBackoff(Duration.ofSeconds(3))
            .retryAfterCap(Duration.ofSeconds(9))
            .build();
    assertThat(c.retryPolicy())
        .isEqualTo(
            new RetryPolicy(
                7, Duration.ofMillis(20), Duration.ofSeconds(3), Duration.ofSeconds(9)));
  }

  @Test
  void plainHttpIsRefusedToARemoteHost() {
    assertThatThrownBy(
            () -> WorkOsClientConfig.builder(KEY).baseUrl("http://api.workos.com").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected https")
        .hasMessageContaining("api.workos.com");
  }

  @Test
  void plainHttpIsAllowedToLoopbackOrWhenExplicitlyAllowed() {
    assertThat(WorkOsClientConfig.builder(KEY).baseUrl("http://127.0.0.1:8080/").build().baseUrl())
        .isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(WorkOsClientConfig.builder(KEY).baseUrl("http://localhost:1").build()).isNotNull();
    assertThat(WorkOsClientConfig.builder(KEY).baseUrl("http://[::1]:1").build()).isNotNull();
    assertThat(
            WorkOsClientConfig.builder(KEY)
                .baseUrl("http://emulator:8080")
                .allowInsecureHttp(true)
                .build())
        .isNotNull();
  }

  @Test
  void otherSchemesAndQueriesAreRefused() {
    assertThatThrownBy(() -> WorkOsClientConfig.builder(KEY).baseUrl("ftp://x").build())
        .hasMessageContaining("expected an http or https URL");
    assertThatThrownBy(() -> WorkOsClientConfig.builder(KEY).baseUrl("https://x/?a=b").build())
        .hasMessageContaining("no query");
  }

  @Test
  void invalidNumbersNameTheSettingAndTheValue() {
    assertThatThrownBy(() -> WorkOsClientConfig.builder(KEY).maxInFlight(0).build())
        .hasMessage("maxInFlight: expected at least 1, found 0");
    assertThatThrownBy(() -> WorkOsClientConfig.builder(KEY).maxAttempts(0).build())
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> WorkOsClientConfig.builder(KEY).safetyMargin(0.9).build())
        .hasMessageContaining("safetyMargin")
        .hasMessageContaining("0.9");
    assertThatThrownBy(() -> WorkOsClientConfig.builder(KEY).shareCount(0).build())
        .hasMessageContaining("shareCount");
    assertThatThrownBy(
            () ->
                WorkOsClientConfig.builder(KEY)
                    .baseBackoff(Duration.ofSeconds(10))
                    .maxBackoff(Duration.ofSeconds(1))
                    .build())
        .hasMessageContaining("maxBackoff: expected at least baseBackoff");
    assertThatThrownBy(() -> WorkOsClientConfig.builder(KEY).requestTimeout(Duration.ZERO).build())
        .hasMessageContaining("requestTimeout: expected a positive duration");
    assertThatThrownBy(() -> WorkOsClientConfig.builder(KEY).userAgent("a\nb").build())
        .hasMessageContaining("userAgent");
  }
}
