package io.auditpipe.core.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.auditpipe.core.rules.RecordContext;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampFormatTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static Instant parse(TimestampFormat f, JsonNode n) {
    return f.parse(new Scope(F.nullNode(), RecordContext.of("t", 0, 0)), n);
  }

  private static String failure(TimestampFormat f, JsonNode n) {
    Scope s = new Scope(F.nullNode(), RecordContext.of("t", 0, 0));
    assertThat(f.parse(s, n)).isNull();
    return s.failures().get(0).reason();
  }

  @Test
  void epochPrecisionsAreExplicit() {
    Instant t = Instant.parse("2026-01-01T00:00:00.123456789Z");
    assertThat(parse(TimestampFormat.EPOCH_SECONDS, F.numberNode(1767225600L)))
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(
            parse(
                TimestampFormat.EPOCH_SECONDS,
                F.numberNode(new BigDecimal("1767225600.123456789"))))
        .isEqualTo(t);
    assertThat(parse(TimestampFormat.EPOCH_MILLIS, F.numberNode(1767225600123L)))
        .isEqualTo(Instant.parse("2026-01-01T00:00:00.123Z"));
    assertThat(parse(TimestampFormat.EPOCH_MICROS, F.textNode("1767225600123456")))
        .isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
    assertThat(parse(TimestampFormat.EPOCH_NANOS, F.numberNode(1767225600123456789L))).isEqualTo(t);
  }

  @Test
  void negativeEpochsFloorCorrectly() {
    assertThat(parse(TimestampFormat.EPOCH_MICROS, F.numberNode(-1L)))
        .isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
    assertThat(parse(TimestampFormat.EPOCH_NANOS, F.numberNode(-1L)))
        .isEqualTo(Instant.parse("1969-12-31T23:59:59.999999999Z"));
    assertThat(parse(TimestampFormat.EPOCH_SECONDS, F.numberNode(-1.5)))
        .isEqualTo(Instant.parse("1969-12-31T23:59:58.500Z"));
  }

  @Test
  void isoNeedsAnOffset() {
    assertThat(parse(TimestampFormat.ISO8601, F.textNode("2026-05-01T10:15:30+02:00")))
        .isEqualTo(Instant.parse("2026-05-01T08:15:30Z"));
    assertThat(failure(TimestampFormat.ISO8601, F.textNode("2026-05-01T10:15:30")))
        .contains("with an offset")
        .doesNotContain("10:15:30");
  }

  @Test
  void failuresNameTheTypeNotTheValue() {
    assertThat(failure(TimestampFormat.EPOCH_MILLIS, F.textNode("secret-value")))
        .isEqualTo(
            "expected a number of epoch millis (number or numeric string), found a string that is"
                + " not a number");
    assertThat(failure(TimestampFormat.EPOCH_SECONDS, F.numberNode(new BigDecimal("1e30"))))
        .contains("out of the supported time range");
    assertThat(failure(TimestampFormat.EPOCH_SECONDS, F.booleanNode(true)))
        .endsWith("found a boolean");
  }
}
