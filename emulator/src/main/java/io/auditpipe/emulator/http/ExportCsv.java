package io.auditpipe.emulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.model.Target;
import io.auditpipe.emulator.state.StoredEvent;
import java.util.List;

/**
 * The CSV an export's {@code url} serves (WorkOS does not publish its columns). One header line,
 * then one row per event, oldest first, RFC 4180 quoting: {@code id, occurred_at, action, version,
 * actor_id, actor_type, actor_name, actor_metadata, targets, location, user_agent, metadata}.
 * {@code targets} is a JSON array of {@code {id,type,name}}; the metadata columns are JSON objects;
 * absent optional values are empty cells.
 */
final class ExportCsv {

  static final List<String> COLUMNS =
      List.of(
          "id",
          "occurred_at",
          "action",
          "version",
          "actor_id",
          "actor_type",
          "actor_name",
          "actor_metadata",
          "targets",
          "location",
          "user_agent",
          "metadata");

  private ExportCsv() {}

  static String write(List<StoredEvent> events) {
    StringBuilder b = new StringBuilder();
    row(b, COLUMNS);
    for (StoredEvent s : events) {
      AuditEvent e = s.event();
      JsonNode json = s.json();
      ArrayNode targets = Json.MAPPER.createArrayNode();
      for (Target t : e.targets()) {
        var o = targets.addObject().put("id", t.id()).put("type", t.type());
        t.name().ifPresent(n -> o.put("name", n));
      }
      row(
          b,
          List.of(
              s.id(),
              AuditEventJson.OCCURRED_AT.format(e.occurredAt()),
              e.action(),
              e.version().isPresent() ? Integer.toString(e.version().getAsInt()) : "",
              e.actor().id(),
              e.actor().type(),
              e.actor().name().orElse(""),
              jsonOrEmpty(json.path("actor").get("metadata")),
              write(targets),
              e.context().location(),
              e.context().userAgent().orElse(""),
              jsonOrEmpty(json.get("metadata"))));
    }
    return b.toString();
  }

  private static String jsonOrEmpty(JsonNode n) {
    return n == null || n.isNull() ? "{}" : write(n);
  }

  private static String write(JsonNode n) {
    try {
      return Json.MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static void row(StringBuilder b, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      String c = cells.get(i);
      if (c.indexOf(',') >= 0
          || c.indexOf('"') >= 0
          || c.indexOf('\n') >= 0
          || c.indexOf('\r') >= 0) {
        b.append('"').append(c.replace("\"", "\"\"")).append('"');
      } else {
        b.append(c);
      }
    }
    b.append("\r\n");
  }
}
