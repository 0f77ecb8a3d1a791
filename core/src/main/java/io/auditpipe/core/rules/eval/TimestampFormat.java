package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * How a record states a time. Precision is explicit: an epoch number is never guessed from its
 * magnitude. Epoch values may be JSON numbers or strings of digits.
 */
public enum TimestampFormat implements TimestampParser {
  /** ISO-8601 date-time with an offset or {@code Z}, e.g. {@code 2026-01-02T03:04:05.678+01:00}. */
  ISO8601(0),
  EPOCH_SECONDS(1),
  EPOCH_MILLIS(1_000),
  EPOCH_MICROS(1_000_000),
  EPOCH_NANOS(1_000_000_000);

  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

  private final long perSecond;

  TimestampFormat(long perSecond) {
    this.perSecond = perSecond;
  }

  /** The name used in rules documents. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<TimestampFormat> byName(String name) {
    for (TimestampFormat f : values()) {
      if (f.externalName().equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The instant, or {@code null} with a failure recorded in {@code scope}. */
  @Override
  public Instant parse(Scope scope, JsonNode node) {
    Object result = read(node);
    if (result instanceof Instant t) {
      return t;
    }
    scope.fail((String) result);
    return null;
  }

  /** The instant, or why the node is not one in this format (a reason, never the value). */
  Object read(JsonNode node) {
    if (this == ISO8601) {
      if (!node.isTextual()) {
        return "expected an ISO-8601 date-time string, found " + kind(node);
      }
      try {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(node.textValue(), Instant::from);
      } catch (DateTimeParseException e) {
        return "expected an ISO-8601 date-time with an offset, e.g. 2026-01-02T03:04:05Z, found a"
            + " string that is not one";
      }
    }
    try {
      if (node.isIntegralNumber() && node.canConvertToLong()) {
        return ofEpoch(node.longValue());
      }
      if (node.isNumber() || node.isTextual()) {
        BigDecimal value =
            node.isNumber() ? node.decimalValue() : new BigDecimal(node.textValue().strip());
        BigInteger nanos =
            value.multiply(BigDecimal.valueOf(1_000_000_000L / perSecond)).toBigInteger();
        BigInteger[] parts = nanos.divideAndRemainder(NANOS_PER_SECOND);
        if (parts[1].signum() < 0) {
          parts[0] = parts[0].subtract(BigInteger.ONE);
          parts[1] = parts[1].add(NANOS_PER_SECOND);
        }
        return Instant.ofEpochSecond(parts[0].longValueExact(), parts[1].longValue());
      }
    } catch (NumberFormatException e) {
      return "expected " + describe() + ", found a string that is not a number";
    } catch (ArithmeticException | DateTimeException e) {
      return "expected " + describe() + ", found a number out of the supported time range";
    }
    return "expected " + describe() + ", found " + kind(node);
  }

  private Instant ofEpoch(long value) {
    return switch (this) {
      case EPOCH_SECONDS -> Instant.ofEpochSecond(value);
      case EPOCH_MILLIS -> Instant.ofEpochMilli(value);
      case EPOCH_MICROS ->
          Instant.ofEpochSecond(
              Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L);
      case EPOCH_NANOS ->
          Instant.ofEpochSecond(
              Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
      case ISO8601 -> throw new IllegalStateException("not an epoch format");
    };
  }

  private String describe() {
    return "a number of " + externalName().replace('_', ' ') + " (number or numeric string)";
  }

  private static String kind(JsonNode node) {
    return io.auditpipe.core.model.AuditEventJson.kind(node);
  }
}
