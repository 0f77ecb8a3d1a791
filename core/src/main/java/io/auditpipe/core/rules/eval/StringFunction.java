package io.auditpipe.core.rules.eval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/** The fixed set of functions a value may apply, by their names in rules documents ({@code fn}). */
public enum StringFunction {
  /** Lower case ({@link Locale#ROOT}). */
  LOWER,
  /** Upper case ({@link Locale#ROOT}). */
  UPPER,
  /** Leading and trailing white space removed. */
  TRIM,
  /** Lower-case hex SHA-256 of the UTF-8 bytes: pseudonymizes PII while keeping it joinable. */
  SHA256,
  /** Every character but the last four replaced by {@code *}; four or fewer: all masked. */
  MASK,
  /**
   * An e-mail address with its local part masked but its first character, and the domain kept:
   * {@code j***@example.com}. Text without {@code @} is masked like {@link #MASK}.
   */
  MASK_EMAIL;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** The name used in rules documents. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<StringFunction> byName(String name) {
    for (StringFunction f : values()) {
      if (f.externalName().equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  public String apply(String s) {
    return switch (this) {
      case LOWER -> s.toLowerCase(Locale.ROOT);
      case UPPER -> s.toUpperCase(Locale.ROOT);
      case TRIM -> s.strip();
      case SHA256 -> sha256(s);
      case MASK -> mask(s);
      case MASK_EMAIL -> maskEmail(s);
    };
  }

  private static String sha256(String s) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
    byte[] digest = sha.digest(s.getBytes(StandardCharsets.UTF_8));
    char[] out = new char[digest.length * 2];
    for (int i = 0; i < digest.length; i++) {
      out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(out);
  }

  private static String mask(String s) {
    int keep = s.length() > 4 ? 4 : 0;
    return "*".repeat(s.length() - keep) + s.substring(s.length() - keep);
  }

  private static String maskEmail(String s) {
    int at = s.lastIndexOf('@');
    if (at < 0) {
      return mask(s);
    }
    if (at == 0) {
      return s;
    }
    return s.charAt(0) + "*".repeat(Math.max(3, at - 1)) + s.substring(at);
  }
}
