package io.auditpipe.connect.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.connect.config.NullValueBehavior;
import io.auditpipe.connect.convert.ConversionException;
import io.auditpipe.connect.convert.RecordValueConverter;
import io.auditpipe.core.avro.AuditEventAvroCodec;
import io.auditpipe.core.avro.AvroDecodeResult;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.DeadLetterReasons;
import io.auditpipe.core.deadletter.FailureStage;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.model.AuditEventValidator;
import io.auditpipe.core.model.Violation;
import io.auditpipe.core.rules.IdempotencyKeys;
import io.auditpipe.core.rules.MappedEvent;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Delivers records that are already audit events (input mode {@code audit-event}): the processor's
 * Avro {@code AuditLogEvent} in single-object encoding (bytes) or as a {@code Struct} from an Avro
 * converter, or JSON in WorkOS's request-body shape ({@code {"organization_id":…,"event":{…}}}).
 * The processor's idempotency key is kept; other records get one from their coordinates.
 * Thread-safe.
 */
public final class AuditEventRecordMapper implements RecordMapper {

  /** The rule name recorded for events that were not mapped by a rule in this connector. */
  static final String NO_RULE = "";

  private final NullValueBehavior onNull;
  private final RecordValueConverter converter = new RecordValueConverter();

  public AuditEventRecordMapper(NullValueBehavior onNull) {
    this.onNull = onNull;
  }

  @Override
  public RecordDisposition map(SinkRecord record) {
    Object value = record.value();
    if (value == null) {
      return NullValues.disposition(record, onNull);
    }
    byte[] bytes =
        value instanceof byte[] b ? b : value instanceof ByteBuffer buffer ? toBytes(buffer) : null;
    if (AuditEventAvroCodec.isSingleObjectEncoded(bytes)) {
      AvroDecodeResult decoded = AuditEventAvroCodec.decode(bytes);
      if (decoded instanceof AvroDecodeResult.Decoded d) {
        return validated(d.record().mapped());
      }
      return new RecordDisposition.DeadLetterIt(
          DeadLetter.of(
              FailureStage.CONVERT, "", ((AvroDecodeResult.Undecodable) decoded).reason()));
    }
    JsonNode json;
    try {
      json = converter.value(record.valueSchema(), value);
    } catch (ConversionException e) {
      return new RecordDisposition.DeadLetterIt(
          DeadLetter.of(FailureStage.CONVERT, "", e.getMessage()));
    }
    String idempotencyKey = defaultKey(record);
    String rule = NO_RULE;
    JsonNode body = json;
    if (json.isObject() && !json.has("event") && json.has("action")) {
      // The flat Avro shape (a Struct from an Avro converter): fold it into the request-body shape.
      ObjectNode event = ((ObjectNode) json).deepCopy();
      JsonNode org = event.remove("organization_id");
      JsonNode key = event.remove("idempotency_key");
      JsonNode source = event.remove("source");
      if (key != null && key.isTextual() && !key.asText().isBlank()) {
        idempotencyKey = key.asText();
      }
      if (source != null && source.path("rule").isTextual()) {
        rule = source.path("rule").asText();
      }
      ObjectNode wrapped = event.objectNode();
      if (org != null) {
        wrapped.set("organization_id", org);
      }
      wrapped.set("event", event);
      body = wrapped;
    }
    AuditEventJson.ReadResult read = AuditEventJson.readRequestBody(body);
    if (read instanceof AuditEventJson.Invalid invalid) {
      return new RecordDisposition.DeadLetterIt(
          DeadLetter.of(FailureStage.CONVERT, rule, describe(invalid.violations())));
    }
    return validated(new MappedEvent(((AuditEventJson.Parsed) read).event(), idempotencyKey, rule));
  }

  private static RecordDisposition validated(MappedEvent mapped) {
    AuditEvent event = mapped.event();
    List<Violation> violations = AuditEventValidator.instance().validate(event);
    if (!violations.isEmpty()) {
      return new RecordDisposition.DeadLetterIt(
          DeadLetter.of(FailureStage.VALIDATE, mapped.rule(), describe(violations)));
    }
    return new RecordDisposition.Deliver(List.of(mapped));
  }

  private static String defaultKey(SinkRecord record) {
    return IdempotencyKeys.fromCoordinates(
        record.topic(),
        record.kafkaPartition() == null ? 0 : record.kafkaPartition(),
        record.kafkaOffset(),
        NO_RULE,
        0);
  }

  private static String describe(List<Violation> violations) {
    return DeadLetterReasons.failures(
        violations.stream().map(v -> v.field() + ": " + v.message()).toList());
  }

  private static byte[] toBytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
