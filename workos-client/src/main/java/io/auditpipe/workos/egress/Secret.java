package io.auditpipe.workos.egress;

import java.util.Objects;

/** A password: revealed only to the code that uses it, masked in {@link #toString()}. */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** A secret holding {@code value}. */
  public static Secret of(String value) {
    return new Secret(Objects.requireNonNull(value, "value"));
  }

  /** The secret's value, for the code that must send or use it. */
  public String reveal() {
    return value;
  }

  /** The value as characters, as key store APIs take it. */
  public char[] chars() {
    return value.toCharArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "[hidden]";
  }
}
