package io.auditpipe.workos;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A WorkOS API key ({@code sk_…}). A secret: {@link #toString()} masks it, and the only way to read
 * it is {@link #reveal()}, which the HTTP layer calls to build the {@code Authorization} header.
 * Deliberately not a record, so that no generated accessor or {@code toString} can leak it.
 */
public final class ApiKey {

  private static final String MASK = "sk_****";

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /**
   * Wraps a key. It must be non-blank and free of whitespace and control characters, so it can go
   * into an HTTP header unchanged.
   *
   * @throws IllegalArgumentException if the key is blank or malformed; the message never shows it
   */
  public static ApiKey of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("API key: expected a non-blank key, found nothing");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            "API key: expected printable ASCII without spaces, found a character at index " + i);
      }
    }
    return new ApiKey(value);
  }

  /** The key itself; for the {@code Authorization} header only. */
  public String reveal() {
    return value;
  }

  /**
   * {@code text} with every occurrence of this key replaced by a mask: applied to any foreign text
   * (exception messages, response bodies) before it goes into an outcome, an exception or a log.
   */
  public String redact(String text) {
    if (text == null || text.isEmpty() || !text.contains(value)) {
      return text;
    }
    return text.replace(value, MASK);
  }

  @Override
  public String toString() {
    return MASK;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKey other
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
