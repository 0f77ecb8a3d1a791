package io.auditpipe.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.emulator.schemas.SchemaRegistry;
import io.auditpipe.emulator.schemas.SchemaVersion;
import java.util.List;

/** Schema endpoints: create a version, list actions, list an action's versions. */
final class SchemasEndpoint {

  private final SchemaRegistry registry;

  SchemasEndpoint(SchemaRegistry registry) {
    this.registry = registry;
  }

  ApiResponse create(String action, JsonNode body) {
    try {
      return ApiResponse.json(201, render(registry.create(action, body)));
    } catch (SchemaRegistry.InvalidSchemaException e) {
      return Json.validationFailed(e.violations());
    }
  }

  ApiResponse listActions(Exchange ex) {
    List<String> actions = registry.actions();
    return ApiResponse.json(
        200,
        Paging.page(
            ex,
            actions,
            a -> a,
            a -> {
              List<SchemaVersion> versions = registry.versions(a);
              SchemaVersion latest = versions.get(versions.size() - 1);
              ObjectNode n = Json.object();
              n.put("object", "audit_log_action");
              n.put("name", a);
              n.set("schema", render(latest));
              n.put("created_at", versions.get(0).createdAt().toString());
              n.put("updated_at", latest.createdAt().toString());
              return n;
            },
            "list_metadata"));
  }

  ApiResponse listSchemas(Exchange ex, String action) {
    List<SchemaVersion> versions = registry.versions(action);
    if (versions.isEmpty()) {
      return Json.notFound("Audit Log action not found: '" + action + "'.");
    }
    return ApiResponse.json(
        200,
        Paging.page(
            ex,
            versions,
            v -> Integer.toString(v.version()),
            SchemasEndpoint::render,
            "list_metadata"));
  }

  static ObjectNode render(SchemaVersion v) {
    ObjectNode n = Json.object();
    n.put("object", "audit_log_schema");
    n.put("version", v.version());
    n.set("actor", v.body().has("actor") ? v.body().get("actor") : Json.object().nullNode());
    n.set("targets", v.body().get("targets"));
    n.set(
        "metadata", v.body().has("metadata") ? v.body().get("metadata") : Json.object().nullNode());
    n.put("created_at", v.createdAt().toString());
    return n;
  }
}
