package io.auditpipe.workos.egress;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A trust store or key store on disk: PEM (certificates; for a key store also a PKCS#8 private
 * key), PKCS12 or JKS.
 *
 * @param location the file
 * @param type {@code PEM}, {@code PKCS12} or {@code JKS}; inferred from the file when empty
 * @param password the store's password (PKCS12/JKS)
 */
public record KeyStoreFile(Path location, Optional<String> type, Optional<Secret> password) {

  public KeyStoreFile {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(password, "password");
  }

  /** A file whose type is inferred, without password. */
  public static KeyStoreFile of(Path location) {
    return new KeyStoreFile(location, Optional.empty(), Optional.empty());
  }
}
