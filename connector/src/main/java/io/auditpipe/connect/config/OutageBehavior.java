package io.auditpipe.connect.config;

import java.util.Arrays;
import java.util.Locale;

/** What the task does once WorkOS has been unavailable longer than the configured bound. */
public enum OutageBehavior {
  /** Keep waiting, however long WorkOS is unavailable; resume by itself. */
  WAIT,
  /** Fail the task; stock Connect leaves it failed until restarted through the REST API. */
  FAIL,
  /** Dead-letter the records waiting for WorkOS (and those arriving) until it is back. */
  DLQ;

  /** The name used in configuration: lower case. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static String[] externalNames() {
    return Arrays.stream(values()).map(OutageBehavior::externalName).toArray(String[]::new);
  }

  /**
   * The constant for a configured name.
   *
   * @throws IllegalArgumentException naming the valid values
   */
  public static OutageBehavior fromExternalName(String name) {
    for (OutageBehavior value : values()) {
      if (value.externalName().equals(name)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        "expected one of " + Arrays.toString(externalNames()) + ", found \"" + name + "\"");
  }
}
