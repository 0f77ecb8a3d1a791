package io.auditpipe.emulator.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an event (the {@code event} object of a request) against a schema version and reports
 * AJV-style errors, as WorkOS does: {@code {"instancePath":"/targets/0/metadata/plan",
 * "keyword":"type","message":"…"}}.
 */
public final class SchemaCheck {

  private SchemaCheck() {}

  /** The errors; an empty array means the event conforms. */
  public static ArrayNode check(SchemaVersion schema, JsonNode event) {
    ArrayNode errors = JsonNodeFactory.instance.arrayNode();
    validate(schema.metadata(), metadataOf(event), "/metadata", errors);
    validate(schema.actorMetadata(), metadataOf(event.path("actor")), "/actor/metadata", errors);
    JsonNode targets = event.path("targets");
    Set<String> present = new HashSet<>();
    for (int i = 0; i < targets.size(); i++) {
      JsonNode t = targets.get(i);
      String type = t.path("type").asText();
      present.add(type);
      JsonSchema s = schema.targetMetadata().get(type);
      validate(Optional.ofNullable(s), metadataOf(t), "/targets/" + i + "/metadata", errors);
    }
    for (String required : schema.targetTypes()) {
      if (!present.contains(required)) {
        ObjectNode e = errors.addObject();
        e.put("instancePath", "/targets");
        e.put("keyword", "contains");
        e.put("message", "must contain a target of type '" + required + "'");
        e.putObject("params").put("type", required);
      }
    }
    return errors;
  }

  private static JsonNode metadataOf(JsonNode n) {
    JsonNode m = n.get("metadata");
    return m == null || m.isNull() ? JsonNodeFactory.instance.objectNode() : m;
  }

  private static void validate(
      Optional<JsonSchema> schema, JsonNode instance, String at, ArrayNode errors) {
    if (schema.isEmpty()) {
      return;
    }
    for (ValidationMessage m : schema.get().validate(instance)) {
      ObjectNode e = errors.addObject();
      e.put("instancePath", at + pointer(m.getInstanceLocation()));
      e.put("keyword", m.getType());
      e.put("message", m.getError() != null ? m.getError() : m.getMessage());
    }
  }

  private static String pointer(JsonNodePath path) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      b.append('/').append(path.getElement(i));
    }
    return b.toString();
  }
}
