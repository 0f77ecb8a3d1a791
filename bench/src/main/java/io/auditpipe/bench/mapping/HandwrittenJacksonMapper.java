package io.auditpipe.bench.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The ceiling: the mapping written by hand for this one event shape, with Jackson's tree and a
 * streaming generator, and no checks beyond what the output needs.
 */
final class HandwrittenJacksonMapper implements OrderEventMapper {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();
  private static final DateTimeFormatter OCCURRED_AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Override
  public String name() {
    return "handwritten";
  }

  @Override
  public byte[] map(byte[] value) {
    try {
      JsonNode root = MAPPER.readTree(value);
      ByteArrayOutputStream out = new ByteArrayOutputStream(512);
      try (JsonGenerator g = FACTORY.createGenerator(out)) {
        write(root, g);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(JsonNode root, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("organization_id", root.path("tenant").path("org_id").textValue());
    g.writeObjectFieldStart("event");
    g.writeStringField("action", "order." + root.path("status").textValue());
    g.writeStringField(
        "occurred_at", OCCURRED_AT.format(Instant.ofEpochMilli(root.path("ts").longValue())));

    JsonNode user = root.path("user");
    g.writeObjectFieldStart("actor");
    g.writeStringField("id", user.path("id").textValue());
    g.writeStringField("type", "user");
    writeOptionalString(g, "name", user.get("name"));
    g.writeEndObject();

    g.writeArrayFieldStart("targets");
    g.writeStartObject();
    g.writeStringField("id", root.path("order").path("id").textValue());
    g.writeStringField("type", "order");
    g.writeEndObject();
    for (JsonNode item : root.path("items")) {
      g.writeStartObject();
      g.writeStringField("id", item.path("sku").textValue());
      g.writeStringField("type", "order_item");
      g.writeEndObject();
    }
    g.writeEndArray();

    g.writeObjectFieldStart("context");
    JsonNode ip = root.get("ip");
    g.writeStringField("location", ip == null || ip.isNull() ? "0.0.0.0" : ip.textValue());
    writeOptionalString(g, "user_agent", root.get("user_agent"));
    g.writeEndObject();

    JsonNode order = root.path("order");
    g.writeObjectFieldStart("metadata");
    writeScalar(g, "total", order.get("total"));
    writeScalar(g, "currency", order.get("currency"));
    writeScalar(g, "item_count", order.get("item_count"));
    writeScalar(g, "gift", order.get("gift"));
    writeScalar(g, "payment_method", root.path("payment").get("method"));
    g.writeEndObject();

    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeOptionalString(JsonGenerator g, String field, JsonNode node)
      throws IOException {
    if (node != null && node.isTextual()) {
      g.writeStringField(field, node.textValue());
    }
  }

  private static void writeScalar(JsonGenerator g, String field, JsonNode node) throws IOException {
    if (node == null || node.isNull()) {
      return;
    }
    g.writeFieldName(field);
    if (node.isTextual()) {
      g.writeString(node.textValue());
    } else if (node.isIntegralNumber()) {
      g.writeNumber(node.longValue());
    } else if (node.isNumber()) {
      g.writeNumber(node.doubleValue());
    } else if (node.isBoolean()) {
      g.writeBoolean(node.booleanValue());
    } else {
      throw new IllegalArgumentException(
          field + ": expected a scalar, found " + node.getNodeType());
    }
  }
}
