package io.auditpipe.workos.egress;

import static io.auditpipe.workos.TestEvents.API_KEY;
import static io.auditpipe.workos.TestEvents.ORG;
import static io.auditpipe.workos.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.emulator.WorkOsEmulator;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.emulator.tls.TlsSettings;
import io.auditpipe.workos.ApiKey;
import io.auditpipe.workos.AuditLogClient;
import io.auditpipe.workos.DeliveryOutcome;
import io.auditpipe.workos.WorkOsClientConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS end to end: the emulator over https requires a client certificate issued by the one it
 * is given ({@code --tls-client-ca}); the client delivers only with {@code workos.ssl.keystore.*}
 * set to that certificate, and otherwise says which keys to set.
 */
class MutualTlsTest {

  @TempDir static Path dir;
  static SelfSignedCertificate clientCertificate;
  static SelfSignedCertificate stranger;
  static WorkOsEmulator emulator;

  @BeforeAll
  static void start() throws Exception {
    clientCertificate = SelfSignedCertificate.generate(dir, "client");
    stranger = SelfSignedCertificate.generate(dir, "stranger");
    emulator =
        WorkOsEmulator.builder()
            .apiKey(API_KEY)
            .organization(ORG, "acme")
            .noRateLimit()
            .tls(TlsSettings.selfSigned(dir.resolve("emulator.pem")))
            .tlsClientCa(clientCertificate.pem())
            .start();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  private static WorkOsClientConfig config(Optional<SelfSignedCertificate> clientKey) {
    return config(emulator, clientKey);
  }

  /** A client of {@code server} trusting its certificate, with {@code clientKey} if given. */
  private static WorkOsClientConfig config(
      WorkOsEmulator server, Optional<SelfSignedCertificate> clientKey) {
    return WorkOsClientConfig.builder(ApiKey.of(API_KEY))
        .baseUrl(server.baseUrl().toString())
        .requestsPerMinute(0)
        .baseBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(5))
        .trustStore(Optional.of(KeyStoreFile.of(server.certificatePem().orElseThrow())))
        .keyStore(
            clientKey.map(
                c ->
                    new KeyStoreFile(
                        c.keyStore(),
                        Optional.empty(),
                        Optional.of(Secret.of(SelfSignedCertificate.PASSWORD)))))
        .build();
  }

  private static DeliveryOutcome deliver(WorkOsClientConfig config, String key) throws Exception {
    try (AuditLogClient client = AuditLogClient.create(config)) {
      return client.send(event(), key).get(30, TimeUnit.SECONDS);
    }
  }

  /** What a person reads: a configuration error's message or an exhausted event's last cause. */
  private static String reason(DeliveryOutcome o) {
    if (o instanceof DeliveryOutcome.Misconfigured m) {
      return m.message();
    }
    if (o instanceof DeliveryOutcome.Exhausted e) {
      return e.lastCause();
    }
    return o.toString();
  }

  @Test
  void withTheClientCertificateEventsAreDelivered() throws Exception {
    int stored = emulator.events(ORG).size();

    assertThat(deliver(config(Optional.of(clientCertificate)), "k-mtls"))
        .isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(emulator.events(ORG)).hasSize(stored + 1);
  }

  @Test
  void withoutAClientCertificateNothingIsStoredAndTheMessageNamesTheKeyStore() throws Exception {
    int stored = emulator.events(ORG).size();

    DeliveryOutcome o = deliver(config(Optional.empty()), "k-mtls-none");

    // Over TLS 1.3 the refusal comes after the client's side of the handshake: the request reads
    // either the alert (a configuration error at once) or a closed connection (retried, then
    // exhausted); both name the key to set.
    assertThat(o).isNotInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(reason(o))
        .contains("workos.ssl.keystore.location")
        .contains("which is not set")
        .doesNotContain("SSLHandshakeException")
        .doesNotContain("ClosedChannelException");
    assertThat(emulator.events(ORG)).hasSize(stored);
  }

  @Test
  void aCertificateTheServerDoesNotTrustIsRefusedNamingTheKeyStore() throws Exception {
    int stored = emulator.events(ORG).size();

    DeliveryOutcome o = deliver(config(Optional.of(stranger)), "k-mtls-stranger");

    // As above: the alert (at once) or a closed connection (in about a third of runs with a core
    // busy), and either way the key to check.
    assertThat(o).isNotInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(reason(o))
        .contains("workos.ssl.keystore.location")
        .doesNotContain("which is not set")
        .doesNotContain("SSLHandshakeException")
        .doesNotContain("ClosedChannelException");
    assertThat(emulator.events(ORG)).hasSize(stored);
  }

  @Test
  void aServerThatAskedForNoCertificateClosingTheConnectionGetsNoCertificateHint()
      throws Exception {
    try (WorkOsEmulator plain =
        WorkOsEmulator.builder()
            .apiKey(API_KEY)
            .organization(ORG, "acme")
            .noRateLimit()
            .tls(TlsSettings.selfSigned(dir.resolve("plain.pem")))
            .faults(FaultSettings.NONE.withResets(1.0, 0))
            .start()) {
      DeliveryOutcome o = deliver(config(plain, Optional.empty()), "k-plain-reset");

      assertThat(o).isInstanceOf(DeliveryOutcome.Exhausted.class);
      assertThat(reason(o)).doesNotContain("client certificate").doesNotContain("keystore");
    }
  }
}
