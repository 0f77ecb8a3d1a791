package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.auditpipe.core.model.AuditEventJson;
import java.time.Instant;
import java.util.Locale;

/**
 * A coordinate of the record: {@code topic}, {@code partition}, {@code offset} or {@code
 * timestamp}.
 */
public enum RecordField implements InstantValue {
  TOPIC,
  PARTITION,
  OFFSET,
  TIMESTAMP;

  /** The name used in rules documents. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public JsonNode eval(Scope scope) {
    return switch (this) {
      case TOPIC -> TextNode.valueOf(scope.record().topic());
      case PARTITION -> IntNode.valueOf(scope.record().partition());
      case OFFSET -> LongNode.valueOf(scope.record().offset());
      case TIMESTAMP -> {
        Instant t = instant(scope);
        yield t == null ? null : TextNode.valueOf(AuditEventJson.OCCURRED_AT.format(t));
      }
    };
  }

  @Override
  public Instant instant(Scope scope) {
    if (this != TIMESTAMP) {
      scope.fail("expected a time, found the record's " + externalName());
      return FAILED;
    }
    Instant t = scope.record().timestamp().orElse(null);
    if (t == null) {
      scope.missing("the record has no timestamp");
    }
    return t;
  }
}
