package io.auditpipe.workos.egress;

import static io.auditpipe.workos.TestEvents.API_KEY;
import static io.auditpipe.workos.TestEvents.ORG;
import static io.auditpipe.workos.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import io.auditpipe.workos.ApiKey;
import io.auditpipe.workos.AuditLogClient;
import io.auditpipe.workos.DeliveryOutcome;
import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.api.Organization;
import io.auditpipe.workos.api.WorkOsApiClient;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enterprise egress against the emulator behind TLS (ALPN h2, http/1.1) and an HTTP proxy: trust
 * comes only from the configured trust store, one HTTP/2 connection carries every event, a proxy
 * tunnels the calls with credentials, and wrong settings end in errors that name the key to fix.
 */
class TlsAndProxyTest {

  private static final String H2 = "HTTP/2.0";
  private static final String PROXY_USER = "egress";
  private static final String PROXY_PASSWORD = "s3cret-proxy-pw";

  @RegisterExtension
  static final WorkOsEmulatorExtension workos =
      WorkOsEmulatorExtension.builder()
          .apiKey(API_KEY)
          .organization(ORG, "acme")
          .noRateLimit()
          .build();

  @TempDir static Path dir;
  static SelfSignedCertificate server;
  static SelfSignedCertificate stranger;
  static TlsFront front;

  @BeforeAll
  static void start() throws Exception {
    server = SelfSignedCertificate.generate(dir, "server");
    stranger = SelfSignedCertificate.generate(dir, "stranger");
    front =
        new TlsFront(
            server.load(),
            SelfSignedCertificate.PASSWORD.toCharArray(),
            workos.baseUrl().getPort());
  }

  @AfterAll
  static void stop() throws Exception {
    front.close();
  }

  private static WorkOsClientConfig.Builder config(Optional<KeyStoreFile> trust) {
    return WorkOsClientConfig.builder(ApiKey.of(API_KEY))
        .baseUrl(front.baseUrl())
        .requestsPerMinute(0)
        .maxInFlight(256)
        .baseBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(5))
        .trustStore(trust);
  }

  private static DeliveryOutcome await(CompletableFuture<DeliveryOutcome> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void concurrentEventsShareOneHttp2ConnectionNegotiatedByAlpn() throws Exception {
    int connectionsBefore = front.connections();
    long h2Before = workos.counters().requests(H2);
    try (AuditLogClient client =
        AuditLogClient.create(config(Optional.of(KeyStoreFile.of(server.pem()))).build())) {
      List<CompletableFuture<DeliveryOutcome>> all = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        all.add(client.send(event(), "k-tls-" + i));
      }
      for (CompletableFuture<DeliveryOutcome> f : all) {
        assertThat(await(f)).isInstanceOf(DeliveryOutcome.Delivered.class);
      }
    }
    assertThat(front.connections() - connectionsBefore).isEqualTo(1);
    assertThat(front.protocols()).last().isEqualTo("h2");
    assertThat(workos.counters().requests(H2) - h2Before).isEqualTo(200);
  }

  @Test
  void http11OverTlsWhenAsked() throws Exception {
    long h1Before = workos.counters().requests("HTTP/1.1");
    try (AuditLogClient client =
        AuditLogClient.create(
            config(Optional.of(KeyStoreFile.of(server.pem())))
                .httpVersion(HttpClient.Version.HTTP_1_1)
                .build())) {
      assertThat(await(client.send(event(), "k-tls-h1")))
          .isInstanceOf(DeliveryOutcome.Delivered.class);
    }
    // Asked for HTTP/1.1 only, the client offers no ALPN at all.
    assertThat(front.protocols()).last().isNotEqualTo("h2");
    assertThat(workos.counters().requests("HTTP/1.1") - h1Before).isEqualTo(1);
  }

  @Test
  void aPkcs12TrustStoreWithItsPasswordIsTrustedToo() throws Exception {
    KeyStoreFile p12 =
        new KeyStoreFile(
            server.keyStore(),
            Optional.empty(),
            Optional.of(Secret.of(SelfSignedCertificate.PASSWORD)));
    try (AuditLogClient client = AuditLogClient.create(config(Optional.of(p12)).build())) {
      assertThat(await(client.send(event(), "k-tls-p12")))
          .isInstanceOf(DeliveryOutcome.Delivered.class);
    }
  }

  @Test
  void withoutTheCertificateAsTrustNothingIsSentAndTheErrorNamesTheTrustStore() throws Exception {
    int stored = workos.events(ORG).size();
    try (AuditLogClient client = AuditLogClient.create(config(Optional.empty()).build())) {
      DeliveryOutcome o = await(client.send(event(), "k-tls-untrusted"));
      assertThat(o).isInstanceOf(DeliveryOutcome.Misconfigured.class);
      assertThat(o.attempts()).as("a trust problem is not retried").isEqualTo(1);
      assertThat(((DeliveryOutcome.Misconfigured) o).message())
          .contains("workos.ssl.truststore.location")
          .doesNotContain("SSLHandshakeException");
    }
    try (AuditLogClient client =
        AuditLogClient.create(config(Optional.of(KeyStoreFile.of(stranger.pem()))).build())) {
      DeliveryOutcome o = await(client.send(event(), "k-tls-stranger"));
      assertThat(((DeliveryOutcome.Misconfigured) o).message())
          .contains("workos.ssl.truststore.location")
          .contains(stranger.pem().toString());
    }
    assertThat(workos.events(ORG)).hasSize(stored);
  }

  @Test
  void aWrongTrustStorePasswordIsAConfigurationErrorNamingTheKeys() {
    KeyStoreFile wrong =
        new KeyStoreFile(
            server.keyStore(), Optional.of("PKCS12"), Optional.of(Secret.of("not-the-password")));
    assertThatThrownBy(() -> AuditLogClient.create(config(Optional.of(wrong)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workos.ssl.truststore.password")
        .hasMessageNotContaining("not-the-password");
  }

  private static WorkOsClientConfig viaProxy(CountingProxy proxy, String password) {
    return config(Optional.of(KeyStoreFile.of(server.pem())))
        .proxy(
            Optional.of(
                new ProxySettings(
                    proxy.url(), Optional.of(PROXY_USER), Optional.of(Secret.of(password)))))
        .build();
  }

  @Test
  void eventsAndManagementCallsGoThroughTheProxyTunnelWithCredentials() throws Exception {
    try (CountingProxy proxy = new CountingProxy(Optional.of(PROXY_USER + ":" + PROXY_PASSWORD));
        AuditLogClient client = AuditLogClient.create(viaProxy(proxy, PROXY_PASSWORD))) {
      List<CompletableFuture<DeliveryOutcome>> all = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        all.add(client.send(event(), "k-proxy-" + i));
      }
      for (CompletableFuture<DeliveryOutcome> f : all) {
        assertThat(await(f)).isInstanceOf(DeliveryOutcome.Delivered.class);
      }
      try (WorkOsApiClient api = client.api()) {
        assertThat(api.organizationByExternalId("acme")).map(Organization::id).contains(ORG);
      }
      assertThat(proxy.tunnels()).isEqualTo(1);
      assertThat(proxy.refused()).isZero();
    }
  }

  @Test
  void aWrongProxyPasswordIsAConfigurationErrorNamingTheKey() throws Exception {
    try (CountingProxy proxy = new CountingProxy(Optional.of(PROXY_USER + ":" + PROXY_PASSWORD));
        AuditLogClient client = AuditLogClient.create(viaProxy(proxy, "wrong-password"))) {
      DeliveryOutcome o = await(client.send(event(), "k-proxy-wrong"));
      assertThat(o).isInstanceOf(DeliveryOutcome.Misconfigured.class);
      assertThat(o.attempts()).isEqualTo(1);
      assertThat(((DeliveryOutcome.Misconfigured) o).message())
          .contains("407")
          .contains("workos.proxy.password")
          .doesNotContain("wrong-password");
      assertThat(proxy.tunnels()).isZero();
      assertThat(proxy.refused()).isEqualTo(1);
    }
  }
}
