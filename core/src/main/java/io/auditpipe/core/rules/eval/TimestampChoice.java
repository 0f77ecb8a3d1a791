package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.model.AuditEventJson;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A time that records state in more than one way: several formats tried in order (the first that
 * reads the value wins), or {@code auto}: a JSON number is epoch time in a declared unit, a string
 * is ISO-8601. A failure names every format tried, never the value. Immutable.
 */
public final class TimestampChoice implements TimestampParser {

  private final TimestampFormat[] formats;
  private final TimestampFormat autoUnit;
  private final String expected;

  private TimestampChoice(List<TimestampFormat> formats, TimestampFormat autoUnit) {
    this.formats = formats.toArray(new TimestampFormat[0]);
    this.autoUnit = autoUnit;
    this.expected =
        autoUnit == null
            ? "a time in one of the formats "
                + formats.stream()
                    .map(TimestampFormat::externalName)
                    .collect(Collectors.joining(", "))
                + " (tried in that order)"
            : "an ISO-8601 date-time string or a number of "
                + autoUnit.externalName()
                + " (timestamp auto)";
  }

  /** The formats tried in order. */
  public static TimestampChoice inOrder(List<TimestampFormat> formats) {
    if (formats.isEmpty()) {
      throw new IllegalArgumentException("no timestamp formats");
    }
    return new TimestampChoice(formats, null);
  }

  /** {@code auto}: numbers are epoch time in {@code unit} (an epoch format), strings ISO-8601. */
  public static TimestampChoice auto(TimestampFormat unit) {
    if (unit == TimestampFormat.ISO8601) {
      throw new IllegalArgumentException("auto needs an epoch unit");
    }
    return new TimestampChoice(List.of(TimestampFormat.ISO8601, unit), unit);
  }

  @Override
  public Instant parse(Scope scope, JsonNode node) {
    if (autoUnit != null) {
      TimestampFormat f =
          node.isNumber() ? autoUnit : node.isTextual() ? TimestampFormat.ISO8601 : null;
      if (f == null) {
        scope.fail("expected " + expected + ", found " + AuditEventJson.kind(node));
        return null;
      }
      Object result = f.read(node);
      if (result instanceof Instant t) {
        return t;
      }
      scope.fail(result + " (timestamp auto)");
      return null;
    }
    for (TimestampFormat f : formats) {
      if (f.read(node) instanceof Instant t) {
        return t;
      }
    }
    scope.fail(
        "expected "
            + expected
            + ", found "
            + AuditEventJson.kind(node)
            + (node.isTextual() || node.isNumber() ? " that none of them reads" : ""));
    return null;
  }
}
