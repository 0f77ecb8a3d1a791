package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static io.auditpipe.emulator.Http.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditpipe.emulator.tls.SelfSignedCertificate;
import io.auditpipe.emulator.tls.TlsSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls}: https with ALPN from a generated certificate or a given key store. */
class TlsTest {

  @TempDir Path dir;

  @Test
  void aClientTrustingThePemSpeaksH2AndManyEventsShareOneConnection() throws Exception {
    Path pem = dir.resolve("certs/emulator.pem");
    try (WorkOsEmulator workos =
        WorkOsEmulator.builder().noRateLimit().tls(TlsSettings.selfSigned(pem)).start()) {
      assertThat(workos.baseUrl().getScheme()).isEqualTo("https");
      assertThat(workos.certificatePem()).contains(pem.toAbsolutePath());
      HttpClient client = client(pem, HttpClient.Version.HTTP_2);

      HttpResponse<String> first =
          client.send(post(workos, "k-0"), HttpResponse.BodyHandlers.ofString());
      List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
      for (int i = 1; i <= 200; i++) {
        all.add(client.sendAsync(post(workos, "k-" + i), HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> f : all) {
        assertThat(f.get().statusCode()).isEqualTo(201);
        assertThat(f.get().version()).isEqualTo(HttpClient.Version.HTTP_2);
      }

      assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(workos.events(ORG)).hasSize(201);
      EmulatorCounters c = workos.counters();
      assertThat(c.requests("h2")).isEqualTo(201);
      assertThat(c.requests("h2c")).isZero();
      assertThat(c.requests("HTTP/1.1")).isZero();
      assertThat(c.connections("h2")).isEqualTo(1);
      assertThat(c.connections()).isEqualTo(1);
    }
  }

  @Test
  void http11ClientsGetHttp11OverTls() throws Exception {
    Path pem = dir.resolve("emulator.pem");
    try (WorkOsEmulator workos =
        WorkOsEmulator.builder().tls(TlsSettings.selfSigned(pem)).start()) {
      HttpResponse<String> r =
          client(pem, HttpClient.Version.HTTP_1_1)
              .send(post(workos, "k"), HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(workos.counters().requests("HTTP/1.1")).isEqualTo(1);
      assertThat(workos.counters().connections("HTTP/1.1")).isEqualTo(1);
    }
  }

  @Test
  void aClientWithoutTheCertificateAsTrustIsRefused() throws Exception {
    try (WorkOsEmulator workos = WorkOsEmulator.builder().tls(TlsSettings.selfSigned()).start()) {
      assertThat(workos.certificatePem()).hasValueSatisfying(p -> assertThat(p).exists());
      HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

      assertThatThrownBy(
              () -> untrusting.send(post(workos, "k"), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
      assertThat(workos.events(ORG)).isEmpty();
    }
  }

  @Test
  void aGivenKeyStoreIsServed() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.generate("localhost");
    Path keystore = dir.resolve("server.p12");
    try (OutputStream out = Files.newOutputStream(keystore)) {
      cert.keyStore("secret".toCharArray()).store(out, "secret".toCharArray());
    }
    Path pem = dir.resolve("trust.pem");
    cert.writePem(pem);
    try (WorkOsEmulator workos =
        WorkOsEmulator.builder().tls(TlsSettings.keyStore(keystore, "secret")).start()) {
      HttpResponse<String> r =
          client(pem, HttpClient.Version.HTTP_2)
              .send(post(workos, "k"), HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(workos.certificatePem()).isEmpty();
    }
  }

  @Test
  void aMissingKeyStoreIsNamedInTheMessage() {
    Path missing = dir.resolve("missing.p12");
    assertThatThrownBy(
            () -> WorkOsEmulator.builder().tls(TlsSettings.keyStore(missing, "x")).start())
        .hasMessageContaining("tls-keystore")
        .hasMessageContaining(missing.toString());
  }

  private static HttpRequest post(WorkOsEmulator workos, String key) {
    return HttpRequest.newBuilder(workos.baseUrl().resolve("/audit_logs/events"))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + workos.apiKey())
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", key)
        .POST(HttpRequest.BodyPublishers.ofString(event(ORG, "user.signed_in")))
        .build();
  }

  static HttpClient client(Path pem, HttpClient.Version version) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      trust.setCertificateEntry(
          "emulator",
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder()
        .sslContext(ssl)
        .version(version)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }
}
