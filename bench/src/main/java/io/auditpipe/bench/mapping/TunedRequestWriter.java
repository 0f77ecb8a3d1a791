package io.auditpipe.bench.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * Prototype of {@code AuditEventJson.toRequestBody} writing the same bytes faster: field names
 * pre-encoded once ({@link SerializedString}), {@code occurred_at} formatted by hand instead of by
 * a {@code DateTimeFormatter}, and an output buffer that does not need to grow. Sizes a proposed
 * change to core; not used by the variants.
 */
final class TunedRequestWriter {

  private static final JsonFactory FACTORY = new ObjectMapper().getFactory();
  private static final SerializableString ORGANIZATION_ID = name("organization_id");
  private static final SerializableString EVENT = name("event");
  private static final SerializableString ACTION = name("action");
  private static final SerializableString OCCURRED_AT = name("occurred_at");
  private static final SerializableString VERSION = name("version");
  private static final SerializableString ACTOR = name("actor");
  private static final SerializableString TARGETS = name("targets");
  private static final SerializableString CONTEXT = name("context");
  private static final SerializableString LOCATION = name("location");
  private static final SerializableString USER_AGENT = name("user_agent");
  private static final SerializableString METADATA = name("metadata");
  private static final SerializableString ID = name("id");
  private static final SerializableString TYPE = name("type");
  private static final SerializableString NAME = name("name");

  byte[] toRequestBody(AuditEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName(ORGANIZATION_ID);
      g.writeString(event.organizationId());
      g.writeFieldName(EVENT);
      g.writeStartObject();
      g.writeFieldName(ACTION);
      g.writeString(event.action());
      g.writeFieldName(OCCURRED_AT);
      g.writeString(occurredAt(event.occurredAt()));
      if (event.version().isPresent()) {
        g.writeFieldName(VERSION);
        g.writeNumber(event.version().getAsInt());
      }
      g.writeFieldName(ACTOR);
      entity(
          g,
          event.actor().id(),
          event.actor().type(),
          event.actor().name(),
          event.actor().metadata());
      g.writeFieldName(TARGETS);
      g.writeStartArray();
      for (Target t : event.targets()) {
        entity(g, t.id(), t.type(), t.name(), t.metadata());
      }
      g.writeEndArray();
      g.writeFieldName(CONTEXT);
      g.writeStartObject();
      g.writeFieldName(LOCATION);
      g.writeString(event.context().location());
      if (event.context().userAgent().isPresent()) {
        g.writeFieldName(USER_AGENT);
        g.writeString(event.context().userAgent().get());
      }
      g.writeEndObject();
      if (!event.metadata().isEmpty()) {
        g.writeFieldName(METADATA);
        metadata(g, event.metadata());
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void entity(
      JsonGenerator g, String id, String type, Optional<String> name, Metadata metadata)
      throws IOException {
    g.writeStartObject();
    g.writeFieldName(ID);
    g.writeString(id);
    g.writeFieldName(TYPE);
    g.writeString(type);
    if (name.isPresent()) {
      g.writeFieldName(NAME);
      g.writeString(name.get());
    }
    if (!metadata.isEmpty()) {
      g.writeFieldName(METADATA);
      metadata(g, metadata);
    }
    g.writeEndObject();
  }

  private static void metadata(JsonGenerator g, Metadata metadata) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, MetadataValue> e : metadata.values().entrySet()) {
      g.writeFieldName(e.getKey());
      MetadataValue v = e.getValue();
      if (v instanceof MetadataValue.StringValue s) {
        g.writeString(s.value());
      } else if (v instanceof MetadataValue.LongValue l) {
        g.writeNumber(l.value());
      } else if (v instanceof MetadataValue.DoubleValue d) {
        g.writeNumber(d.value());
      } else if (v instanceof MetadataValue.BooleanValue b) {
        g.writeBoolean(b.value());
      }
    }
    g.writeEndObject();
  }

  /** {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'} for years 0–9999, else the formatter. */
  private static String occurredAt(Instant t) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
    int year = d.getYear();
    if (year < 0 || year > 9999) {
      return AuditEventJson.OCCURRED_AT.format(t);
    }
    char[] c = new char[24];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, d.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, d.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, d.getHour(), 2);
    c[13] = ':';
    digits(c, 14, d.getMinute(), 2);
    c[16] = ':';
    digits(c, 17, d.getSecond(), 2);
    c[19] = '.';
    digits(c, 20, t.getNano() / 1_000_000, 3);
    c[23] = 'Z';
    return new String(c);
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static SerializableString name(String name) {
    return new SerializedString(name);
  }
}
