package io.auditpipe.cli.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What an expected event and an exported row are matched on: the fields a WorkOS export carries —
 * action, occurred_at (milliseconds), actor id/type/name, targets (id/type/name, in order) and
 * metadata — as canonical JSON (object keys sorted). Events equal in all of these are
 * indistinguishable in an export and are matched as a multiset.
 */
public record EventFingerprint(String canonical) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The fingerprint of an event the rules made. */
  public static EventFingerprint of(AuditEvent event) {
    JsonNode json = AuditEventJson.toJsonNode(event).path("event");
    JsonNode actor = json.path("actor");
    return of(
        event.action(),
        AuditEventJson.OCCURRED_AT.format(event.occurredAt()),
        actor.path("id").asText(),
        actor.path("type").asText(),
        actor.path("name").asText(""),
        json.path("targets"),
        json.path("metadata"));
  }

  /** The fingerprint of an exported row. */
  public static EventFingerprint of(ExportRow row) {
    return of(
        row.action(),
        row.occurredAt(),
        row.actorId(),
        row.actorType(),
        row.actorName(),
        row.targets(),
        row.metadata());
  }

  private static EventFingerprint of(
      String action,
      String occurredAt,
      String actorId,
      String actorType,
      String actorName,
      JsonNode targets,
      JsonNode metadata) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("action", action);
    o.put("occurred_at", occurredAt);
    o.put("actor_id", actorId);
    o.put("actor_type", actorType);
    o.put("actor_name", actorName);
    ArrayNode t = o.putArray("targets");
    if (targets.isArray()) {
      for (JsonNode target : targets) {
        ObjectNode c = t.addObject();
        c.put("id", target.path("id").asText());
        c.put("type", target.path("type").asText());
        c.put("name", target.path("name").asText(""));
      }
    }
    o.set("metadata", metadata.isObject() ? canonical(metadata) : MAPPER.createObjectNode());
    try {
      return new EventFingerprint(MAPPER.writeValueAsString(o));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  /** {@code node} with every object's fields in key order, so equal content is equal text. */
  private static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        fields.add(it.next());
      }
      fields.sort(Map.Entry.comparingByKey());
      ObjectNode o = MAPPER.createObjectNode();
      fields.forEach(f -> o.set(f.getKey(), canonical(f.getValue())));
      return o;
    }
    if (node.isArray()) {
      ArrayNode a = MAPPER.createArrayNode();
      node.forEach(n -> a.add(canonical(n)));
      return a;
    }
    return node;
  }
}
