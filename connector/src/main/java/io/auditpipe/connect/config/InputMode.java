package io.auditpipe.connect.config;

import java.util.Arrays;
import java.util.Locale;

/** What the records of the subscribed topics are. */
public enum InputMode {
  /** Domain events, mapped by the rules. */
  DOMAIN,
  /** Events already mapped by the processor (Avro) or in WorkOS's JSON shape. */
  AUDIT_EVENT;

  /** The name used in configuration: lower case, {@code -} for {@code _}. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static String[] externalNames() {
    return Arrays.stream(values()).map(InputMode::externalName).toArray(String[]::new);
  }

  /**
   * The constant for a configured name.
   *
   * @throws IllegalArgumentException naming the valid values
   */
  public static InputMode fromExternalName(String name) {
    for (InputMode value : values()) {
      if (value.externalName().equals(name)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        "expected one of " + Arrays.toString(externalNames()) + ", found \"" + name + "\"");
  }
}
