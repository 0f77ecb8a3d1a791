package io.auditpipe.workos.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EgressSettingsTest {

  @TempDir Path dir;

  @Test
  void aProxyUrlWithCredentialsInItIsRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> ProxySettings.of(URI.create("http://svc:hunter2@proxy:3128")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workos.proxy.username")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> ProxySettings.of(URI.create("https://proxy:3128")))
        .hasMessageContaining("workos.proxy.url");
    assertThat(ProxySettings.of(URI.create("http://proxy")).port()).isEqualTo(80);
  }

  @Test
  void aPasswordWithoutAUserIsRefused() {
    assertThatThrownBy(
            () ->
                new ProxySettings(
                    URI.create("http://proxy:3128"), Optional.empty(), Optional.of(Secret.of("x"))))
        .hasMessageContaining("workos.proxy.password");
  }

  @Test
  void secretsAreMaskedInToString() {
    ProxySettings p =
        new ProxySettings(
            URI.create("http://proxy:3128"), Optional.of("u"), Optional.of(Secret.of("pw-123")));
    assertThat(p.toString()).doesNotContain("pw-123");
  }

  @Test
  void pemTrustStoresAreReadAndFilesWithoutCertificatesNameTheKey() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.generate(dir, "ca");
    assertThat(KeyStores.trustStore(KeyStoreFile.of(cert.pem())).size()).isEqualTo(1);

    Path empty = Files.writeString(dir.resolve("empty.crt"), "nothing here\n");
    assertThatThrownBy(
            () ->
                KeyStores.trustStore(new KeyStoreFile(empty, Optional.of("PEM"), Optional.empty())))
        .hasMessageContaining("workos.ssl.truststore.location")
        .hasMessageContaining("BEGIN CERTIFICATE");
    assertThatThrownBy(() -> KeyStores.trustStore(KeyStoreFile.of(dir.resolve("absent.pem"))))
        .hasMessageContaining("workos.ssl.truststore.location")
        .hasMessageContaining("cannot read");
  }

  @Test
  void aKeyStoreIsReadFromPkcs12WithItsPassword() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.generate(dir, "client");
    KeyStoreFile p12 =
        new KeyStoreFile(
            cert.keyStore(),
            Optional.empty(),
            Optional.of(Secret.of(SelfSignedCertificate.PASSWORD)));
    assertThat(KeyStores.keyStore(p12).size()).isEqualTo(1);
    assertThatThrownBy(
            () ->
                KeyStores.keyStore(
                    new KeyStoreFile(
                        cert.keyStore(), Optional.empty(), Optional.of(Secret.of("bad-pw-xyz")))))
        .hasMessageContaining("workos.ssl.keystore.password")
        .hasMessageNotContaining("bad-pw-xyz");
  }
}
