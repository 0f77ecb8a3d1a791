package io.auditpipe.core.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The JSON form of an event, exactly as WorkOS's {@code POST /audit_logs/events} takes it:
 * snake_case, {@code occurred_at} in ISO-8601 UTC with milliseconds, and absent optionals left out
 * rather than written as {@code null}. Thread-safe.
 */
public final class AuditEventJson {

  /** ISO-8601 in UTC with exactly three fraction digits, e.g. {@code 2022-09-02T16:35:39.317Z}. */
  public static final DateTimeFormatter OCCURRED_AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  // Field names encoded once instead of on every write.
  private static final SerializableString ORGANIZATION_ID = new SerializedString("organization_id");
  private static final SerializableString EVENT = new SerializedString("event");
  private static final SerializableString ACTION = new SerializedString("action");
  private static final SerializableString OCCURRED_AT_FIELD = new SerializedString("occurred_at");
  private static final SerializableString VERSION = new SerializedString("version");
  private static final SerializableString ACTOR = new SerializedString("actor");
  private static final SerializableString TARGETS = new SerializedString("targets");
  private static final SerializableString CONTEXT = new SerializedString("context");
  private static final SerializableString LOCATION = new SerializedString("location");
  private static final SerializableString USER_AGENT = new SerializedString("user_agent");
  private static final SerializableString METADATA = new SerializedString("metadata");
  private static final SerializableString ID = new SerializedString("id");
  private static final SerializableString TYPE = new SerializedString("type");
  private static final SerializableString NAME = new SerializedString("name");

  private AuditEventJson() {}

  /** The request body {@code {"organization_id":…,"event":{…}}} as UTF-8 bytes. */
  public static byte[] toRequestBody(AuditEvent event) {
    BodyWriter writer = BODY_WRITER.get();
    try {
      return writer.write(event);
    } catch (IOException e) {
      BODY_WRITER.remove();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      // The generator may be left inside an object: the next body gets a fresh one.
      BODY_WRITER.remove();
      throw e;
    }
  }

  // Creating a generator (its context, recycled buffers and state) costs about as much as writing
  // a body, so each thread keeps one, writing body after body into one builder.
  private static final ThreadLocal<BodyWriter> BODY_WRITER =
      ThreadLocal.withInitial(BodyWriter::new);

  /** A generator over a byte builder, reset per body; confined to its thread. */
  private static final class BodyWriter {

    private final ByteArrayBuilder out = new ByteArrayBuilder(1024);
    private final JsonGenerator generator;

    BodyWriter() {
      try {
        generator = FACTORY.createGenerator(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // Bodies are separate documents: nothing between one root value and the next.
      generator.setRootValueSeparator(null);
    }

    byte[] write(AuditEvent event) throws IOException {
      out.reset();
      writeRequestBody(event, generator);
      generator.flush();
      return out.toByteArray();
    }
  }

  /** Writes the request body to {@code out} as UTF-8. */
  public static void writeRequestBody(AuditEvent event, OutputStream out) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writeRequestBody(event, g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the request body as one JSON object to an open generator. */
  public static void writeRequestBody(AuditEvent event, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeFieldName(ORGANIZATION_ID);
    g.writeString(event.organizationId());
    g.writeFieldName(EVENT);
    writeEvent(event, g);
    g.writeEndObject();
  }

  /** Writes the {@code event} object (without the organization) to an open generator. */
  public static void writeEvent(AuditEvent event, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeFieldName(ACTION);
    g.writeString(event.action());
    g.writeFieldName(OCCURRED_AT_FIELD);
    writeOccurredAt(g, event.occurredAt());
    if (event.version().isPresent()) {
      g.writeFieldName(VERSION);
      g.writeNumber(event.version().getAsInt());
    }
    g.writeFieldName(ACTOR);
    writeEntity(
        g,
        event.actor().id(),
        event.actor().type(),
        event.actor().name(),
        event.actor().metadata());
    g.writeFieldName(TARGETS);
    g.writeStartArray();
    for (Target t : event.targets()) {
      writeEntity(g, t.id(), t.type(), t.name(), t.metadata());
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
      writeMetadata(g, event.metadata());
    }
    g.writeEndObject();
  }

  private static void writeEntity(
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
      writeMetadata(g, metadata);
    }
    g.writeEndObject();
  }

  /**
   * Writes {@code t} as {@link #OCCURRED_AT} does, without the formatter's per-call cost for the
   * years it prints as four digits; other years go through the formatter itself.
   */
  private static void writeOccurredAt(JsonGenerator g, Instant t) throws IOException {
    if (!OccurredAtText.hasFourDigitYear(t)) {
      g.writeString(OCCURRED_AT.format(t));
      return;
    }
    // Straight into the generator: no String is built for the text.
    char[] text = new char[OccurredAtText.FOUR_DIGIT_YEAR_LENGTH];
    OccurredAtText.writeFourDigitYear(t, text, 0);
    g.writeString(text, 0, text.length);
  }

  /** Writes a metadata object. */
  public static void writeMetadata(JsonGenerator g, Metadata metadata) throws IOException {
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

  /** The JSON tree of the request body. */
  public static JsonNode toJsonNode(AuditEvent event) {
    try {
      return MAPPER.readTree(toRequestBody(event));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Result of reading a request body: the event, or every shape violation found. */
  public sealed interface ReadResult permits Parsed, Invalid {}

  /** The body had the shape of an event. Its WorkOS limits are not checked yet. */
  public record Parsed(AuditEvent event) implements ReadResult {}

  /** The body lacked required fields or had fields of the wrong type. */
  public record Invalid(List<Violation> violations) implements ReadResult {
    public Invalid {
      violations = List.copyOf(violations);
    }
  }

  /**
   * Reads a request body {@code {"organization_id":…,"event":{…}}}. Optional fields may be absent
   * or {@code null}; unknown fields are ignored, as WorkOS does.
   */
  public static ReadResult readRequestBody(JsonNode body) {
    List<Violation> v = new ArrayList<>();
    if (body == null || !body.isObject()) {
      v.add(new Violation("", "invalid_type", "expected a JSON object, found " + kind(body)));
      return new Invalid(v);
    }
    String org = requiredText(body, "organization_id", "organization_id", v);
    JsonNode event = body.get("event");
    if (event == null || event.isNull()) {
      v.add(new Violation("event", "required", "expected an object, found nothing"));
      return new Invalid(v);
    }
    if (!event.isObject()) {
      v.add(new Violation("event", "invalid_type", "expected an object, found " + kind(event)));
      return new Invalid(v);
    }
    Optional<AuditEvent> parsed = readEvent(org, event, "event", v);
    return v.isEmpty() && parsed.isPresent() ? new Parsed(parsed.get()) : new Invalid(v);
  }

  /**
   * Reads an {@code event} object (the part under {@code "event"}) for the given organization;
   * violations are added to {@code v} with locations under {@code at}.
   */
  public static Optional<AuditEvent> readEvent(
      String organizationId, JsonNode event, String at, List<Violation> v) {
    int before = v.size();
    String action = requiredText(event, "action", at + ".action", v);
    Instant occurredAt = null;
    String occurred = requiredText(event, "occurred_at", at + ".occurred_at", v);
    if (occurred != null) {
      try {
        occurredAt = DateTimeFormatter.ISO_DATE_TIME.parse(occurred, Instant::from);
      } catch (DateTimeParseException e) {
        v.add(
            new Violation(
                at + ".occurred_at",
                "invalid_value",
                "expected an ISO-8601 date-time with an offset, e.g. 2022-09-02T16:35:39.317Z"));
      }
    }
    OptionalInt version = OptionalInt.empty();
    JsonNode versionNode = event.get("version");
    if (versionNode != null && !versionNode.isNull()) {
      if (versionNode.canConvertToInt() && versionNode.isIntegralNumber()) {
        version = OptionalInt.of(versionNode.intValue());
      } else {
        v.add(
            new Violation(
                at + ".version",
                "invalid_type",
                "expected an integer, found " + kind(versionNode)));
      }
    }
    Actor actor = null;
    JsonNode actorNode = event.get("actor");
    if (actorNode == null || actorNode.isNull()) {
      v.add(new Violation(at + ".actor", "required", "expected an object, found nothing"));
    } else if (!actorNode.isObject()) {
      v.add(
          new Violation(
              at + ".actor", "invalid_type", "expected an object, found " + kind(actorNode)));
    } else {
      String id = requiredText(actorNode, "id", at + ".actor.id", v);
      String type = requiredText(actorNode, "type", at + ".actor.type", v);
      Optional<String> name = optionalText(actorNode, "name", at + ".actor.name", v);
      Metadata md = readMetadata(actorNode.get("metadata"), at + ".actor.metadata", v);
      if (id != null && type != null) {
        actor = new Actor(id, type, name, md);
      }
    }
    List<Target> targets = new ArrayList<>();
    JsonNode targetsNode = event.get("targets");
    if (targetsNode == null || targetsNode.isNull()) {
      v.add(new Violation(at + ".targets", "required", "expected an array, found nothing"));
    } else if (!targetsNode.isArray()) {
      v.add(
          new Violation(
              at + ".targets", "invalid_type", "expected an array, found " + kind(targetsNode)));
    } else {
      for (int i = 0; i < targetsNode.size(); i++) {
        JsonNode t = targetsNode.get(i);
        String tat = at + ".targets[" + i + "]";
        if (!t.isObject()) {
          v.add(new Violation(tat, "invalid_type", "expected an object, found " + kind(t)));
          continue;
        }
        String id = requiredText(t, "id", tat + ".id", v);
        String type = requiredText(t, "type", tat + ".type", v);
        Optional<String> name = optionalText(t, "name", tat + ".name", v);
        Metadata md = readMetadata(t.get("metadata"), tat + ".metadata", v);
        if (id != null && type != null) {
          targets.add(new Target(id, type, name, md));
        }
      }
    }
    Context context = null;
    JsonNode contextNode = event.get("context");
    if (contextNode == null || contextNode.isNull()) {
      v.add(new Violation(at + ".context", "required", "expected an object, found nothing"));
    } else if (!contextNode.isObject()) {
      v.add(
          new Violation(
              at + ".context", "invalid_type", "expected an object, found " + kind(contextNode)));
    } else {
      String location = requiredText(contextNode, "location", at + ".context.location", v);
      Optional<String> ua = optionalText(contextNode, "user_agent", at + ".context.user_agent", v);
      if (location != null) {
        context = new Context(location, ua);
      }
    }
    Metadata metadata = readMetadata(event.get("metadata"), at + ".metadata", v);
    if (v.size() > before || organizationId == null) {
      return Optional.empty();
    }
    return Optional.of(
        new AuditEvent(
            organizationId, action, occurredAt, version, actor, targets, context, metadata));
  }

  /** Reads a metadata object; {@code null} or absent is empty. Nested values are violations. */
  public static Metadata readMetadata(JsonNode node, String at, List<Violation> v) {
    if (node == null || node.isNull()) {
      return Metadata.empty();
    }
    if (!node.isObject()) {
      v.add(new Violation(at, "invalid_type", "expected an object, found " + kind(node)));
      return Metadata.empty();
    }
    Map<String, MetadataValue> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode value = e.getValue();
      if (value.isTextual()) {
        values.put(e.getKey(), MetadataValue.of(value.textValue()));
      } else if (value.isIntegralNumber() && value.canConvertToLong()) {
        values.put(e.getKey(), MetadataValue.of(value.longValue()));
      } else if (value.isNumber()) {
        values.put(e.getKey(), MetadataValue.of(value.doubleValue()));
      } else if (value.isBoolean()) {
        values.put(e.getKey(), MetadataValue.of(value.booleanValue()));
      } else {
        v.add(
            new Violation(
                at + "." + e.getKey(),
                "invalid_type",
                "expected a string, number or boolean, found " + kind(value)));
      }
    }
    return Metadata.of(values);
  }

  private static String requiredText(JsonNode parent, String name, String at, List<Violation> v) {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      v.add(new Violation(at, "required", "expected a string, found nothing"));
      return null;
    }
    if (!n.isTextual()) {
      v.add(new Violation(at, "invalid_type", "expected a string, found " + kind(n)));
      return null;
    }
    return n.textValue();
  }

  private static Optional<String> optionalText(
      JsonNode parent, String name, String at, List<Violation> v) {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isTextual()) {
      v.add(new Violation(at, "invalid_type", "expected a string, found " + kind(n)));
      return Optional.empty();
    }
    return Optional.of(n.textValue());
  }

  /** A short name of a JSON node's type, for messages that must not echo values. */
  public static String kind(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case BINARY -> "binary data";
      case MISSING -> "nothing";
    };
  }
}
