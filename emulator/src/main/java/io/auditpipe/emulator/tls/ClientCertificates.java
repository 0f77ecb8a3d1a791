package io.auditpipe.emulator.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * The certificates a mutual-TLS emulator accepts client certificates from ({@code
 * --tls-client-ca}).
 */
public final class ClientCertificates {

  private ClientCertificates() {}

  /** A trust store of every certificate in the PEM file {@code pem}. */
  public static KeyStore trustStore(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("tls-client-ca: no certificate in " + pem);
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        store.setCertificateEntry("client-ca-" + i++, c);
      }
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException("tls-client-ca: cannot read " + pem, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "tls-client-ca: " + pem + " holds no PEM certificate (" + e.getMessage() + ")", e);
    }
  }
}
