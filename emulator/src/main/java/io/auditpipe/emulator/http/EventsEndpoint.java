package io.auditpipe.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.model.Violation;
import io.auditpipe.emulator.schemas.SchemaCheck;
import io.auditpipe.emulator.schemas.SchemaRegistry;
import io.auditpipe.emulator.schemas.SchemaVersion;
import io.auditpipe.emulator.state.EventStore;
import io.auditpipe.emulator.state.Ids;
import io.auditpipe.emulator.state.OrganizationDirectory;
import io.auditpipe.emulator.state.StoredEvent;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /audit_logs/events}: shape (422), organization (404), WorkOS limits (422), the
 * action's schema when validation is on (400), then stored (201 {@code {"success":true}}).
 */
final class EventsEndpoint {

  private final Clock clock;
  private final OrganizationDirectory organizations;
  private final EventStore store;
  private final SchemaRegistry schemas;
  private final boolean schemaValidation;

  EventsEndpoint(
      Clock clock,
      OrganizationDirectory organizations,
      EventStore store,
      SchemaRegistry schemas,
      boolean schemaValidation) {
    this.clock = clock;
    this.organizations = organizations;
    this.store = store;
    this.schemas = schemas;
    this.schemaValidation = schemaValidation;
  }

  ApiResponse create(byte[] raw, JsonNode body, Optional<String> idempotencyKey) {
    AuditEventJson.ReadResult read = AuditEventJson.readRequestBody(body);
    if (read instanceof AuditEventJson.Invalid invalid) {
      return Json.validationFailed(invalid.violations());
    }
    AuditEvent event = ((AuditEventJson.Parsed) read).event();
    if (!organizations.exists(event.organizationId())) {
      return Json.organizationNotFound(event.organizationId());
    }
    List<Violation> limits = DocumentedLimits.check(body);
    if (!limits.isEmpty()) {
      return Json.validationFailed(limits);
    }
    JsonNode json = body.get("event");
    if (schemaValidation && schemas.hasSchemas(event.action())) {
      int version = event.version().orElse(1);
      Optional<SchemaVersion> schema = schemas.version(event.action(), version);
      if (schema.isEmpty()) {
        ObjectNode n = Json.object();
        n.put("code", "invalid_audit_log");
        n.put("message", "Invalid Audit Log event");
        n.putArray("errors")
            .addObject()
            .put("instancePath", "/version")
            .put("keyword", "enum")
            .put(
                "message",
                "schema version "
                    + version
                    + " does not exist for action '"
                    + event.action()
                    + "'");
        return ApiResponse.json(400, n);
      }
      ArrayNode errors = SchemaCheck.check(schema.get(), json);
      if (!errors.isEmpty()) {
        ObjectNode n = Json.object();
        n.put("code", "invalid_audit_log");
        n.put("message", "Invalid Audit Log event");
        n.set("errors", errors);
        return ApiResponse.json(400, n);
      }
    }
    store.append(
        new StoredEvent(Ids.next("audit_log_event_"), event, raw, clock.instant(), idempotencyKey));
    return ApiResponse.json(201, Json.SUCCESS);
  }
}
