package io.auditpipe.workos;

import static io.auditpipe.workos.TestEvents.API_KEY;
import static io.auditpipe.workos.TestEvents.ORG;
import static io.auditpipe.workos.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.emulator.faults.FaultKind;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Delivery over cleartext HTTP/2 (h2c by prior knowledge, which the emulator offers next to
 * HTTP/1.1) and over HTTP/1.1: the protocol changes, the outcomes and retries do not.
 */
class AuditLogClientProtocolsTest {

  private static final String H2 = "HTTP/2.0";
  private static final String H1 = "HTTP/1.1";

  @RegisterExtension
  static final WorkOsEmulatorExtension workos =
      WorkOsEmulatorExtension.builder()
          .apiKey(API_KEY)
          .organization(ORG, "acme")
          .noRateLimit()
          .build();

  private static AuditLogClient client(HttpClient.Version version) {
    return client(version, Duration.ofSeconds(5));
  }

  private static AuditLogClient client(HttpClient.Version version, Duration requestTimeout) {
    return AuditLogClient.builder(
            WorkOsClientConfig.builder(ApiKey.of(API_KEY))
                .baseUrl(workos.baseUrl())
                .requestsPerMinute(0)
                .requestTimeout(requestTimeout)
                .baseBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(5))
                .maxInFlight(16)
                .httpVersion(version)
                .build())
        .build();
  }

  private static DeliveryOutcome await(CompletableFuture<DeliveryOutcome> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void concurrentEventsAllGoOverHttp2() throws Exception {
    try (AuditLogClient client = client(HttpClient.Version.HTTP_2)) {
      long h1Before = workos.counters().requests(H1);
      long h2Before = workos.counters().requests(H2);
      List<CompletableFuture<DeliveryOutcome>> all = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        all.add(client.send(event(), "k-h2-" + i));
      }
      for (CompletableFuture<DeliveryOutcome> f : all) {
        assertThat(await(f)).isInstanceOf(DeliveryOutcome.Delivered.class);
      }
      assertThat(workos.counters().requests(H2) - h2Before).isEqualTo(200);
      assertThat(workos.counters().requests(H1) - h1Before).isZero();
    }
  }

  @Test
  void http11NeverUsesHttp2() throws Exception {
    try (AuditLogClient client = client(HttpClient.Version.HTTP_1_1)) {
      for (int i = 0; i < 20; i++) {
        assertThat(await(client.send(event(), "k-h1-" + i)))
            .isInstanceOf(DeliveryOutcome.Delivered.class);
      }
    }
    assertThat(workos.counters().requests(H1)).isEqualTo(20);
    assertThat(workos.counters().requests(H2)).isZero();
  }

  @Test
  void overH2cServerErrorsAreRetriedAndRejectionsAreNot() throws Exception {
    try (AuditLogClient client = client(HttpClient.Version.HTTP_2)) {
      workos.faults(FaultSettings.NONE.withNext(FaultKind.STATUS_503, FaultKind.THROTTLE_429));
      DeliveryOutcome retried = await(client.send(event(), "k-retried"));
      DeliveryOutcome rejected = await(client.send(event("org_unknown", "a"), "k-rejected"));

      assertThat(retried).isInstanceOf(DeliveryOutcome.Delivered.class);
      assertThat(retried.attempts()).isEqualTo(3);
      assertThat(rejected).isInstanceOf(DeliveryOutcome.Rejected.class);
      assertThat(((DeliveryOutcome.Rejected) rejected).message()).contains("org_unknown");
      assertThat(rejected.attempts()).isEqualTo(1);
    }
  }

  /** A reset closes the connection; the retry goes over a new HTTP/2 connection. */
  @Test
  void afterAResetTheEventIsStoredOnceAndHttp2Resumes() throws Exception {
    try (AuditLogClient client = client(HttpClient.Version.HTTP_2)) {
      int warm = workos.events(ORG).size();
      workos.faults(FaultSettings.NONE.withNext(FaultKind.RESET_AFTER));

      DeliveryOutcome o = await(client.send(event(), "k-reset-after"));

      assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
      assertThat(o.attempts()).isEqualTo(2);
      assertThat(workos.events(ORG)).hasSize(warm + 1);
      assertThat(workos.counters().idempotentReplays()).isEqualTo(1);
      assertThat(workos.counters().requests(H1)).isZero();
    }
  }

  /**
   * An answer whose body stalls after its headers is ended at the request timeout, which covers the
   * whole exchange, and retried: the event is stored once, long before the stalled body, and the
   * client serves the next event.
   */
  @ParameterizedTest
  @CsvSource({"HTTP_2", "HTTP_1_1"})
  void anAnswerWhoseBodyStallsIsEndedAtTheRequestTimeoutAndRetried(HttpClient.Version version)
      throws Exception {
    try (AuditLogClient client = client(version, Duration.ofMillis(300))) {
      String key = "k-slow-" + version;
      int before = workos.events(ORG).size();
      workos.faults(FaultSettings.NONE.withSlowResponses(0, 4_000).withNext(FaultKind.SLOW));
      long start = System.nanoTime();

      DeliveryOutcome o = await(client.send(event(), key));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
      assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
      assertThat(o.attempts()).isEqualTo(2);
      assertThat(workos.events(ORG)).hasSize(before + 1);
      assertThat(await(client.send(event(), key + "-next")))
          .isInstanceOf(DeliveryOutcome.Delivered.class);
    }
  }
}
