package io.auditpipe.core.avro;

import io.auditpipe.core.model.Actor;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.Context;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.schemas.avro.AuditLogEvent;
import io.auditpipe.schemas.avro.SourceCoordinates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;

/**
 * The Avro codec of the {@code audit-events} topic contract ({@code audit-log-event.avsc}).
 *
 * <p>Values use Avro <a
 * href="https://avro.apache.org/docs/1.12.0/specification/#single-object-encoding">single-object
 * encoding</a>: a two-byte marker, the schema's 64-bit fingerprint, then the binary datum. A
 * consumer needs only the schema, not a schema registry, and a value written with another schema is
 * recognised by its fingerprint instead of being misread. Thread-safe.
 */
public final class AuditEventAvroCodec {

  /**
   * Decodes maps into insertion-ordered maps, so metadata keeps the order it was written in (the
   * generated decoder uses {@code HashMap}).
   */
  private static final SpecificData ORDERED_MAPS = orderedMapsModel();

  private static final BinaryMessageDecoder<AuditLogEvent> DECODER =
      new BinaryMessageDecoder<>(ORDERED_MAPS, AuditLogEvent.getClassSchema());

  private AuditEventAvroCodec() {}

  /** The generated Avro record for a mapped event and the coordinates of its source record. */
  public static AuditLogEvent toAvro(MappedEvent mapped, RecordCoordinates source) {
    AuditEvent event = mapped.event();
    List<io.auditpipe.schemas.avro.Target> targets = new ArrayList<>(event.targets().size());
    for (Target target : event.targets()) {
      targets.add(
          io.auditpipe.schemas.avro.Target.newBuilder()
              .setId(target.id())
              .setType(target.type())
              .setName(target.name().orElse(null))
              .setMetadata(toAvro(target.metadata()))
              .build());
    }
    return AuditLogEvent.newBuilder()
        .setOrganizationId(event.organizationId())
        .setAction(event.action())
        .setOccurredAt(event.occurredAt())
        .setVersion(event.version().isPresent() ? event.version().getAsInt() : null)
        .setActor(
            io.auditpipe.schemas.avro.Actor.newBuilder()
                .setId(event.actor().id())
                .setType(event.actor().type())
                .setName(event.actor().name().orElse(null))
                .setMetadata(toAvro(event.actor().metadata()))
                .build())
        .setTargets(targets)
        .setContext(
            io.auditpipe.schemas.avro.Context.newBuilder()
                .setLocation(event.context().location())
                .setUserAgent(event.context().userAgent().orElse(null))
                .build())
        .setMetadata(toAvro(event.metadata()))
        .setIdempotencyKey(mapped.idempotencyKey())
        .setSource(
            SourceCoordinates.newBuilder()
                .setTopic(source.topic())
                .setPartition(source.partition())
                .setOffset(source.offset())
                .setRule(mapped.rule())
                .build())
        .build();
  }

  /** The model form of a generated Avro record. */
  public static AuditEventRecord fromAvro(AuditLogEvent avro) {
    io.auditpipe.schemas.avro.Actor actor = avro.getActor();
    List<Target> targets = new ArrayList<>(avro.getTargets().size());
    for (io.auditpipe.schemas.avro.Target target : avro.getTargets()) {
      targets.add(
          new Target(
              str(target.getId()),
              str(target.getType()),
              optional(target.getName()),
              fromAvro(target.getMetadata())));
    }
    AuditEvent event =
        new AuditEvent(
            str(avro.getOrganizationId()),
            str(avro.getAction()),
            avro.getOccurredAt(),
            avro.getVersion() == null ? OptionalInt.empty() : OptionalInt.of(avro.getVersion()),
            new Actor(
                str(actor.getId()),
                str(actor.getType()),
                optional(actor.getName()),
                fromAvro(actor.getMetadata())),
            targets,
            new Context(
                str(avro.getContext().getLocation()), optional(avro.getContext().getUserAgent())),
            fromAvro(avro.getMetadata()));
    SourceCoordinates source = avro.getSource();
    return new AuditEventRecord(
        new MappedEvent(event, str(avro.getIdempotencyKey()), str(source.getRule())),
        new RecordCoordinates(str(source.getTopic()), source.getPartition(), source.getOffset()));
  }

  /** A mapped event in single-object encoding. */
  public static byte[] encode(MappedEvent mapped, RecordCoordinates source) {
    try {
      return AvroEventWriter.write(mapped, source);
    } catch (IOException e) {
      // Encoding into memory does no I/O; an IOException here is a bug, not a data problem.
      throw new UncheckedIOException("encoding an AuditLogEvent into memory failed", e);
    }
  }

  /**
   * Whether {@code bytes} start with the Avro single-object marker ({@code C3 01}), as every value
   * {@link #encode} writes does: such a value is for {@link #decode}, anything else is not Avro.
   */
  public static boolean isSingleObjectEncoded(byte[] bytes) {
    return bytes != null && bytes.length >= 2 && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01;
  }

  /**
   * Decodes a single-object encoded {@code AuditLogEvent}. Never throws for bad input: anything
   * that is not such a value is {@link AvroDecodeResult.Undecodable} with the reason.
   */
  public static AvroDecodeResult decode(byte[] bytes) {
    if (bytes == null) {
      return new AvroDecodeResult.Undecodable("expected an Avro single-object value, found null");
    }
    try {
      AuditLogEvent avro = DECODER.decode(bytes);
      return new AvroDecodeResult.Decoded(fromAvro(avro));
    } catch (BadHeaderException e) {
      return new AvroDecodeResult.Undecodable(
          "expected the Avro single-object marker C3 01, found "
              + (bytes.length < 2
                  ? bytes.length + " byte(s)"
                  : String.format("%02X %02X", bytes[0], bytes[1])));
    } catch (MissingSchemaException e) {
      return new AvroDecodeResult.Undecodable(
          "expected the fingerprint of audit-log-event.avsc, found a value written with an"
              + " unknown schema");
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | NullPointerException e) {
      return new AvroDecodeResult.Undecodable(
          "expected an AuditLogEvent datum of "
              + bytes.length
              + " byte(s), found truncated or corrupt data ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  private static SpecificData orderedMapsModel() {
    SpecificData model =
        new SpecificData(AuditLogEvent.class.getClassLoader()) {
          @Override
          public Object newMap(Object old, int size) {
            if (old instanceof LinkedHashMap<?, ?> map) {
              map.clear();
              return map;
            }
            return new LinkedHashMap<>(Math.max(4, size * 2));
          }
        };
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    return model;
  }

  private static Map<String, Object> toAvro(Metadata metadata) {
    Map<String, Object> avro = new LinkedHashMap<>(Math.max(4, metadata.size() * 2));
    for (Map.Entry<String, MetadataValue> entry : metadata.values().entrySet()) {
      avro.put(entry.getKey(), entry.getValue().raw());
    }
    return avro;
  }

  private static Metadata fromAvro(Map<? extends CharSequence, Object> avro) {
    if (avro == null || avro.isEmpty()) {
      return Metadata.empty();
    }
    Map<String, MetadataValue> values = new LinkedHashMap<>(avro.size() * 2);
    for (Map.Entry<? extends CharSequence, Object> entry : avro.entrySet()) {
      values.put(entry.getKey().toString(), metadataValue(entry.getValue()));
    }
    return Metadata.of(values);
  }

  private static MetadataValue metadataValue(Object value) {
    if (value instanceof Long l) {
      return MetadataValue.of(l);
    } else if (value instanceof Double d) {
      return MetadataValue.of(d);
    } else if (value instanceof Boolean b) {
      return MetadataValue.of(b);
    } else if (value instanceof CharSequence s) {
      return MetadataValue.of(s.toString());
    }
    // The schema's union admits only the four types above; anything else is a decoder bug.
    throw new AvroRuntimeException(
        "expected a metadata value of string, long, double or boolean, found "
            + (value == null ? "null" : value.getClass().getSimpleName()));
  }

  private static String str(CharSequence value) {
    return value.toString();
  }

  private static Optional<String> optional(CharSequence value) {
    return value == null ? Optional.empty() : Optional.of(value.toString());
  }
}
