package io.auditpipe.connect.config;

import java.util.Arrays;
import java.util.Locale;

/** What an event whose delivery retries ran out does. */
public enum ExhaustedBehavior {
  /** Fail the task; it restarts from the last committed offset. */
  FAIL,
  /** Dead-letter the record and go on. */
  DLQ;

  /** The name used in configuration: lower case, {@code -} for {@code _}. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static String[] externalNames() {
    return Arrays.stream(values()).map(ExhaustedBehavior::externalName).toArray(String[]::new);
  }

  /**
   * The constant for a configured name.
   *
   * @throws IllegalArgumentException naming the valid values
   */
  public static ExhaustedBehavior fromExternalName(String name) {
    for (ExhaustedBehavior value : values()) {
      if (value.externalName().equals(name)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        "expected one of " + Arrays.toString(externalNames()) + ", found \"" + name + "\"");
  }
}
