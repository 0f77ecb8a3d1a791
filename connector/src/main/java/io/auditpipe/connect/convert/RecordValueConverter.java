package io.auditpipe.connect.convert;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.core.deadletter.DeadLetterReasons;
import io.auditpipe.core.rules.RecordKeys;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns what a Connect worker's converters produce into the JSON view the rules read: schemaless
 * maps and lists, {@link Struct}s with their schemas, JSON text and JSON bytes. Connect's logical
 * types become what a JSON producer would have written: {@code Timestamp} an ISO-8601 instant,
 * {@code Date} an ISO date, {@code Time} an ISO time, {@code Decimal} an exact number. Thread-safe.
 */
public final class RecordValueConverter {

  /** The schema name Confluent's AvroConverter gives Avro unions. */
  static final String CONFLUENT_UNION = "io.confluent.connect.avro.Union";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  /**
   * The record value as JSON.
   *
   * @throws ConversionException if it is text or bytes that are not JSON, or of a type Connect does
   *     not produce
   */
  public JsonNode value(Schema schema, Object value) throws ConversionException {
    if (value instanceof String text) {
      return parse(reader, text.getBytes(StandardCharsets.UTF_8));
    }
    if (value instanceof byte[] bytes) {
      return parse(reader, bytes);
    }
    if (value instanceof ByteBuffer buffer) {
      return parse(reader, bytes(buffer));
    }
    return toJson(schema, value, "");
  }

  /**
   * The record key as the rules see it, decided as the processor decides it for the same record: a
   * string, bytes or {@code ByteBuffer} key is read by {@link RecordKeys} (JSON when it is a JSON
   * object, array or string, unwrapping a Connect envelope; otherwise its text; no key when it is
   * empty or not UTF-8); a structured key ({@link Struct}, map, number …) is converted like a
   * value.
   */
  public Optional<JsonNode> key(Schema schema, Object key) {
    if (key == null) {
      return Optional.empty();
    }
    if (key instanceof String text) {
      return RecordKeys.fromText(text);
    }
    if (key instanceof byte[] b) {
      return RecordKeys.fromBytes(b);
    }
    if (key instanceof ByteBuffer buffer) {
      return RecordKeys.fromBytes(bytes(buffer));
    }
    try {
      return Optional.of(toJson(schema, key, ""));
    } catch (ConversionException e) {
      return Optional.of(NODES.textNode(String.valueOf(key)));
    }
  }

  /** The headers as text (UTF-8 for bytes); the last value wins for a repeated name. */
  public Map<String, String> headers(SinkRecord record) {
    if (record.headers() == null || record.headers().isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      Object v = header.value();
      if (v == null) {
        continue;
      }
      String text;
      if (v instanceof byte[] b) {
        text = new String(b, StandardCharsets.UTF_8);
      } else if (v instanceof String s) {
        text = s;
      } else {
        try {
          JsonNode node = toJson(header.schema(), v, "");
          text = node.isValueNode() ? node.asText() : node.toString();
        } catch (ConversionException e) {
          text = String.valueOf(v);
        }
      }
      out.put(header.key(), text);
    }
    return out;
  }

  /** Parses JSON bytes into a tree; the rules' projected parser plugs in here. */
  @FunctionalInterface
  public interface JsonReader {
    JsonNode read(byte[] json) throws IOException;
  }

  private final JsonReader reader;

  /** A converter parsing JSON text and bytes with a plain Jackson tree reader. */
  public RecordValueConverter() {
    this(MAPPER::readTree);
  }

  /** A converter parsing JSON text and bytes with {@code reader}. */
  public RecordValueConverter(JsonReader reader) {
    this.reader = reader;
  }

  private static JsonNode parse(JsonReader with, byte[] bytes) throws ConversionException {
    try {
      JsonNode node = with.read(bytes);
      if (node == null || node.isMissingNode()) {
        throw new ConversionException(DeadLetterReasons.noJsonValue(bytes.length));
      }
      return node;
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the input: report only where parsing stopped.
      JsonLocation at = e.getLocation();
      throw new ConversionException(
          at == null
              ? DeadLetterReasons.malformedJson(bytes.length)
              : DeadLetterReasons.malformedJson(at.getLineNr(), at.getColumnNr(), bytes.length));
    } catch (IOException e) {
      throw new ConversionException(DeadLetterReasons.unreadable(e.getClass().getSimpleName()));
    }
  }

  private JsonNode toJson(Schema schema, Object value, String at) throws ConversionException {
    if (value == null) {
      return NODES.nullNode();
    }
    String logical = schema == null ? null : schema.name();
    if (logical != null) {
      switch (logical) {
        case org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME -> {
          return NODES.textNode(instant((Date) value));
        }
        case org.apache.kafka.connect.data.Date.LOGICAL_NAME -> {
          return NODES.textNode(
              ((Date) value).toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString());
        }
        case org.apache.kafka.connect.data.Time.LOGICAL_NAME -> {
          return NODES.textNode(
              LocalTime.ofNanoOfDay(
                      Math.floorMod(epochMillis((Date) value), 86_400_000L) * 1_000_000L)
                  .format(TIME));
        }
        case org.apache.kafka.connect.data.Decimal.LOGICAL_NAME -> {
          return NODES.numberNode((BigDecimal) value);
        }
        default -> {}
      }
    }
    if (value instanceof Struct struct) {
      return struct(struct, at);
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode node = NODES.objectNode();
      Schema valueSchema = schema == null ? null : schema.valueSchema();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String name = String.valueOf(e.getKey());
        node.set(name, toJson(valueSchema, e.getValue(), at + "/" + name));
      }
      return node;
    }
    if (value instanceof Collection<?> list) {
      ArrayNode node = NODES.arrayNode(list.size());
      Schema elementSchema = schema == null ? null : schema.valueSchema();
      int i = 0;
      for (Object element : list) {
        node.add(toJson(elementSchema, element, at + "/" + i++));
      }
      return node;
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
      return NODES.numberNode(((Number) value).intValue());
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof Float f) {
      return NODES.numberNode(f);
    }
    if (value instanceof Double d) {
      return NODES.numberNode(d);
    }
    if (value instanceof BigDecimal d) {
      return NODES.numberNode(d);
    }
    if (value instanceof Date d) {
      // Schemaless records carry logical values without a schema: treat a Date as a timestamp.
      return NODES.textNode(instant(d));
    }
    if (value instanceof byte[] b) {
      return NODES.textNode(Base64.getEncoder().encodeToString(b));
    }
    if (value instanceof ByteBuffer b) {
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes(b)));
    }
    throw new ConversionException(
        "expected a Connect value (Struct, Map, List, primitive), found "
            + value.getClass().getName()
            + (at.isEmpty() ? "" : " at " + at));
  }

  private JsonNode struct(Struct struct, String at) throws ConversionException {
    Schema schema = struct.schema();
    if (CONFLUENT_UNION.equals(schema.name())) {
      for (Field field : schema.fields()) {
        Object branch = struct.get(field);
        if (branch != null) {
          return toJson(field.schema(), branch, at);
        }
      }
      return NODES.nullNode();
    }
    ObjectNode node = NODES.objectNode();
    for (Field field : schema.fields()) {
      node.set(field.name(), toJson(field.schema(), struct.get(field), at + "/" + field.name()));
    }
    return node;
  }

  private static String instant(Date date) {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis(date)));
  }

  // Connect's Date, Time and Timestamp values are java.util.Date, or java.sql subclasses whose
  // toInstant() throws: getTime() is the one accessor that works for all of them.
  @SuppressWarnings("JavaUtilDate")
  private static long epochMillis(Date date) {
    return date.getTime();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
