package io.auditpipe.connect.config;

import java.util.Arrays;
import java.util.Locale;

/** What a record with a null value (a tombstone) does. */
public enum NullValueBehavior {
  SKIP,
  DLQ,
  FAIL;

  /** The name used in configuration: lower case, {@code -} for {@code _}. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static String[] externalNames() {
    return Arrays.stream(values()).map(NullValueBehavior::externalName).toArray(String[]::new);
  }

  /**
   * The constant for a configured name.
   *
   * @throws IllegalArgumentException naming the valid values
   */
  public static NullValueBehavior fromExternalName(String name) {
    for (NullValueBehavior value : values()) {
      if (value.externalName().equals(name)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        "expected one of " + Arrays.toString(externalNames()) + ", found \"" + name + "\"");
  }
}
