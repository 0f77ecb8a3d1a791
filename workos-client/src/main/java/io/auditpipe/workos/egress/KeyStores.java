package io.auditpipe.workos.egress;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads {@link KeyStoreFile}s into {@link KeyStore}s. Failures are {@link
 * IllegalArgumentException}s naming the configuration keys ({@code prefix.location}, {@code .type},
 * {@code .password}) and what was found, never a password.
 */
public final class KeyStores {

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private KeyStores() {}

  /** The trust store: every certificate in the file is a trusted authority. */
  public static KeyStore trustStore(KeyStoreFile file) {
    return load(file, "workos.ssl.truststore", false);
  }

  /** The client certificate's key store: a private key and its certificate chain. */
  public static KeyStore keyStore(KeyStoreFile file) {
    return load(file, "workos.ssl.keystore", true);
  }

  private static KeyStore load(KeyStoreFile file, String prefix, boolean withKey) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file.location());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          prefix
              + ".location: cannot read "
              + file.location()
              + " ("
              + e.getClass().getSimpleName()
              + "); expected a readable PEM, PKCS12 or JKS file");
    }
    String type =
        file.type().map(t -> t.toUpperCase(Locale.ROOT)).orElseGet(() -> infer(file, bytes));
    try {
      if (type.equals("PEM")) {
        return pem(bytes, prefix, file, withKey);
      }
      if (!type.equals("PKCS12") && !type.equals("JKS")) {
        throw new IllegalArgumentException(
            prefix + ".type: expected PEM, PKCS12 or JKS, found " + type);
      }
      KeyStore ks = KeyStore.getInstance(type);
      ks.load(new ByteArrayInputStream(bytes), file.password().map(Secret::chars).orElse(null));
      if (ks.size() == 0) {
        throw new IllegalArgumentException(
            prefix
                + ".location: expected at least one entry in "
                + file.location()
                + ", found none");
      }
      return ks;
    } catch (IOException e) {
      // KeyStore.load reports a wrong password as an IOException caused by
      // UnrecoverableKeyException.
      throw new IllegalArgumentException(
          prefix
              + ".location / "
              + prefix
              + ".password: cannot open "
              + file.location()
              + " as "
              + type
              + " (wrong password, or not a "
              + type
              + " file; set "
              + prefix
              + ".type if the type was guessed wrong)");
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          prefix
              + ".location: cannot load "
              + file.location()
              + " as "
              + type
              + ": "
              + e.getClass().getSimpleName());
    }
  }

  private static String infer(KeyStoreFile file, byte[] bytes) {
    String name = file.location().getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jks")) {
      return "JKS";
    }
    if (name.endsWith(".p12") || name.endsWith(".pfx")) {
      return "PKCS12";
    }
    String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.US_ASCII);
    return head.contains("-----BEGIN ") ? "PEM" : "PKCS12";
  }

  private static KeyStore pem(byte[] bytes, String prefix, KeyStoreFile file, boolean withKey)
      throws GeneralSecurityException, IOException {
    String text = new String(bytes, StandardCharsets.US_ASCII);
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<Certificate> certs = new ArrayList<>();
    Optional<PrivateKey> key = Optional.empty();
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      switch (m.group(1)) {
        case "CERTIFICATE" -> certs.add(cf.generateCertificate(new ByteArrayInputStream(der)));
        case "PRIVATE KEY" -> key = Optional.of(privateKey(der, prefix));
        default -> {
          if (m.group(1).endsWith("PRIVATE KEY")) {
            throw new IllegalArgumentException(
                prefix
                    + ".location: expected an unencrypted PKCS#8 key (BEGIN PRIVATE KEY), found"
                    + " BEGIN "
                    + m.group(1)
                    + " in "
                    + file.location()
                    + "; convert it with openssl pkcs8 -topk8 -nocrypt, or use PKCS12");
          }
        }
      }
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(
          prefix
              + ".location: expected PEM certificates (BEGIN CERTIFICATE) in "
              + file.location()
              + ", found none");
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    if (withKey) {
      if (key.isEmpty()) {
        throw new IllegalArgumentException(
            prefix
                + ".location: expected a private key (BEGIN PRIVATE KEY) next to the"
                + " certificate in "
                + file.location()
                + ", found none");
      }
      ks.setKeyEntry(
          "client",
          key.get(),
          file.password().map(Secret::chars).orElse(new char[0]),
          certs.toArray(Certificate[]::new));
    } else {
      for (int i = 0; i < certs.size(); i++) {
        ks.setCertificateEntry("ca-" + i, certs.get(i));
      }
    }
    return ks;
  }

  private static PrivateKey privateKey(byte[] der, String prefix) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(
        prefix
            + ".location: expected an RSA, EC or Ed25519 private key, found one none of them read");
  }
}
