package io.auditpipe.core.avro;

import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.schemas.avro.AuditLogEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes an {@code AuditLogEvent} in single-object encoding straight from the model, field by field
 * in schema order, without building the generated record or resolving unions by reflection: the
 * processor writes one per event, and the generic path costs several times more. {@code
 * AuditEventAvroCodecTest} holds it byte-identical to the generated encoder.
 */
final class AvroEventWriter {

  /** {@code C3 01} and the schema's CRC-64-AVRO parsing fingerprint, little-endian. */
  private static final byte[] HEADER = header();

  // Branch indexes of the schema's unions.
  private static final int NULL_BRANCH = 0;
  private static final int VALUE_BRANCH = 1;
  private static final int STRING_BRANCH = 0;
  private static final int LONG_BRANCH = 1;
  private static final int DOUBLE_BRANCH = 2;
  private static final int BOOLEAN_BRANCH = 3;

  private AvroEventWriter() {}

  static byte[] write(MappedEvent mapped, RecordCoordinates source) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    out.write(HEADER);
    BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
    AuditEvent event = mapped.event();
    e.writeString(event.organizationId());
    e.writeString(event.action());
    e.writeLong(event.occurredAt().toEpochMilli());
    if (event.version().isPresent()) {
      e.writeIndex(VALUE_BRANCH);
      e.writeInt(event.version().getAsInt());
    } else {
      e.writeIndex(NULL_BRANCH);
    }
    entity(
        e,
        event.actor().id(),
        event.actor().type(),
        event.actor().name(),
        event.actor().metadata());
    e.writeArrayStart();
    e.setItemCount(event.targets().size());
    for (Target target : event.targets()) {
      e.startItem();
      entity(e, target.id(), target.type(), target.name(), target.metadata());
    }
    e.writeArrayEnd();
    e.writeString(event.context().location());
    optional(e, event.context().userAgent());
    metadata(e, event.metadata());
    e.writeString(mapped.idempotencyKey());
    e.writeString(source.topic());
    e.writeInt(source.partition());
    e.writeLong(source.offset());
    e.writeString(mapped.rule());
    e.flush();
    return out.toByteArray();
  }

  private static void entity(
      BinaryEncoder e, String id, String type, Optional<String> name, Metadata metadata)
      throws IOException {
    e.writeString(id);
    e.writeString(type);
    optional(e, name);
    metadata(e, metadata);
  }

  private static void optional(BinaryEncoder e, Optional<String> value) throws IOException {
    if (value.isPresent()) {
      e.writeIndex(VALUE_BRANCH);
      e.writeString(value.get());
    } else {
      e.writeIndex(NULL_BRANCH);
    }
  }

  private static void metadata(BinaryEncoder e, Metadata metadata) throws IOException {
    e.writeMapStart();
    e.setItemCount(metadata.size());
    for (Map.Entry<String, MetadataValue> entry : metadata.values().entrySet()) {
      e.startItem();
      e.writeString(entry.getKey());
      MetadataValue value = entry.getValue();
      if (value instanceof MetadataValue.StringValue s) {
        e.writeIndex(STRING_BRANCH);
        e.writeString(s.value());
      } else if (value instanceof MetadataValue.LongValue l) {
        e.writeIndex(LONG_BRANCH);
        e.writeLong(l.value());
      } else if (value instanceof MetadataValue.DoubleValue d) {
        e.writeIndex(DOUBLE_BRANCH);
        e.writeDouble(d.value());
      } else if (value instanceof MetadataValue.BooleanValue b) {
        e.writeIndex(BOOLEAN_BRANCH);
        e.writeBoolean(b.value());
      }
    }
    e.writeMapEnd();
  }

  private static byte[] header() {
    long fingerprint = SchemaNormalization.parsingFingerprint64(AuditLogEvent.getClassSchema());
    return ByteBuffer.allocate(10)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) 0xC3)
        .put((byte) 0x01)
        .putLong(fingerprint)
        .array();
  }
}
