package io.auditpipe.emulator.tls;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** How the emulator serves https: a certificate it makes itself, or one from a key store. */
public sealed interface TlsSettings {

  /**
   * A self-signed certificate made at start-up for {@code localhost}, {@code 127.0.0.1}, {@code
   * ::1} and the bound host, written as PEM to {@code pemFile} (default: a new temporary file) for
   * clients to trust.
   */
  record SelfSigned(Optional<Path> pemFile) implements TlsSettings {
    public SelfSigned {
      Objects.requireNonNull(pemFile, "pemFile");
    }
  }

  /** A PKCS12 or JKS key store holding the server's key and certificate chain. */
  record KeyStoreFile(Path path, String password) implements TlsSettings {
    public KeyStoreFile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "KeyStoreFile[path=" + path + "]";
    }
  }

  static TlsSettings selfSigned() {
    return new SelfSigned(Optional.empty());
  }

  static TlsSettings selfSigned(Path pemFile) {
    return new SelfSigned(Optional.of(pemFile));
  }

  static TlsSettings keyStore(Path path, String password) {
    return new KeyStoreFile(path, password);
  }
}
