package io.auditpipe.processor.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.auditpipe.core.avro.AuditEventAvroCodec;
import io.auditpipe.core.avro.AuditEventRecord;
import io.auditpipe.core.model.AuditEventJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Writes {@code audit-events} values in the configured {@link OutputFormat}. Thread-safe. */
public final class AuditEventRecordSerializer implements Serializer<AuditEventRecord> {

  private static final JsonFactory JSON = new JsonFactory();

  private final OutputFormat format;

  public AuditEventRecordSerializer(OutputFormat format) {
    this.format = Objects.requireNonNull(format, "format");
  }

  @Override
  public byte[] serialize(String topic, AuditEventRecord record) {
    if (record == null) {
      return null;
    }
    return switch (format) {
      case AVRO -> AuditEventAvroCodec.encode(record.mapped(), record.source());
      case JSON -> json(record);
    };
  }

  private static byte[] json(AuditEventRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(768);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("organization_id", record.mapped().event().organizationId());
      g.writeFieldName("event");
      AuditEventJson.writeEvent(record.mapped().event(), g);
      g.writeStringField("idempotency_key", record.mapped().idempotencyKey());
      g.writeObjectFieldStart("source");
      g.writeStringField("topic", record.source().topic());
      g.writeNumberField("partition", record.source().partition());
      g.writeNumberField("offset", record.source().offset());
      g.writeStringField("rule", record.mapped().rule());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new SerializationException("writing an audit event as JSON into memory failed", e);
    }
    return out.toByteArray();
  }
}
