package io.auditpipe.core.model;

import java.util.Objects;

/**
 * A metadata value as WorkOS accepts it: a string, a whole number, a decimal number or a boolean.
 * Nested objects and arrays are not representable, so "no nesting" holds by construction.
 */
public sealed interface MetadataValue
    permits MetadataValue.StringValue,
        MetadataValue.LongValue,
        MetadataValue.DoubleValue,
        MetadataValue.BooleanValue {

  /** The plain Java value: {@link String}, {@link Long}, {@link Double} or {@link Boolean}. */
  Object raw();

  static MetadataValue of(String value) {
    return new StringValue(value);
  }

  static MetadataValue of(long value) {
    return new LongValue(value);
  }

  static MetadataValue of(double value) {
    return new DoubleValue(value);
  }

  static MetadataValue of(boolean value) {
    return new BooleanValue(value);
  }

  /** A string value; WorkOS limits it to 500 characters (checked by the validator, not here). */
  record StringValue(String value) implements MetadataValue {
    public StringValue {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public Object raw() {
      return value;
    }
  }

  /** A whole number. */
  record LongValue(long value) implements MetadataValue {
    @Override
    public Object raw() {
      return value;
    }
  }

  /** A decimal number. */
  record DoubleValue(double value) implements MetadataValue {
    @Override
    public Object raw() {
      return value;
    }
  }

  /** A boolean. */
  record BooleanValue(boolean value) implements MetadataValue {
    @Override
    public Object raw() {
      return value;
    }
  }
}
