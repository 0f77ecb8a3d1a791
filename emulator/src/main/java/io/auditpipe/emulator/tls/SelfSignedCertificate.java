package io.auditpipe.emulator.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A fresh EC P-256 key and a self-signed certificate for the emulator's host names, valid for a
 * year, built with the JDK alone (the DER encoding by {@link Der}): keys, signature and parsing are
 * the JDK's.
 */
public final class SelfSignedCertificate {

  static final String ALIAS = "workos-emulator";

  private final KeyPair keys;
  private final X509Certificate certificate;

  private SelfSignedCertificate(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  /** A certificate for localhost, 127.0.0.1, ::1 and {@code host} (a name or an address). */
  public static SelfSignedCertificate generate(String host) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair keys = g.generateKeyPair();
      Instant now = Instant.now();
      byte[] name =
          Der.sequence(
              Der.set(
                  Der.sequence(Der.oid(COMMON_NAME), Der.utf8String("auditpipe WorkOS emulator"))));
      byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
      byte[] tbs =
          Der.sequence(
              Der.explicit(0, Der.integer(BigInteger.TWO)),
              Der.integer(new BigInteger(64, new SecureRandom())),
              algorithm,
              name,
              Der.sequence(
                  Der.utcTime(now.minus(Duration.ofHours(1))),
                  Der.utcTime(now.plus(Duration.ofDays(365)))),
              name,
              keys.getPublic().getEncoded(),
              Der.explicit(
                  3,
                  Der.sequence(
                      extension(SUBJECT_ALT_NAME, false, names(host)),
                      extension(BASIC_CONSTRAINTS, true, Der.sequence()),
                      // digitalSignature only: bit 0 of the KeyUsage bit string.
                      extension(KEY_USAGE, true, Der.bitString(7, new byte[] {(byte) 0x80})),
                      extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH))))));
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(keys.getPrivate());
      signer.update(tbs);
      byte[] der = Der.sequence(tbs, algorithm, Der.bitString(0, signer.sign()));
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      return new SelfSignedCertificate(keys, cert);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "cannot make a self-signed certificate: " + e.getMessage(), e);
    }
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
        : Der.sequence(Der.oid(oid), Der.octetString(value));
  }

  /** The subjectAltName value: dNSName [2] and iPAddress [7] entries. */
  private static byte[] names(String host) throws UnknownHostException {
    Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
    Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
    if (!host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")) {
      if (isAddress(host)) {
        ips.add(host);
      } else {
        dns.add(host);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String d : dns) {
      out.writeBytes(Der.implicitPrimitive(2, d.getBytes(StandardCharsets.US_ASCII)));
    }
    for (String ip : ips) {
      out.writeBytes(Der.implicitPrimitive(7, InetAddress.getByName(ip).getAddress()));
    }
    return Der.tlv(0x30, out.toByteArray());
  }

  private static boolean isAddress(String host) {
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false;
    }
    try {
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** An in-memory PKCS12 key store with the key and certificate under one alias. */
  public KeyStore keyStore(char[] password) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, password);
      ks.setKeyEntry(ALIAS, keys.getPrivate(), password, new Certificate[] {certificate});
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the emulator's key store", e);
    }
  }

  /** The certificate in PEM, as clients take it for a trust store. */
  public String pem() {
    try {
      String b64 =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode the emulator's certificate", e);
    }
  }

  /** Writes {@link #pem()} to {@code file}, creating its directory. */
  public void writePem(Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Files.writeString(file, pem(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the emulator's certificate to " + file, e);
    }
  }
}
