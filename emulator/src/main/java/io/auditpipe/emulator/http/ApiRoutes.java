package io.auditpipe.emulator.http;

import io.auditpipe.emulator.schemas.SchemaRegistry;
import io.auditpipe.emulator.state.EventStore;
import io.auditpipe.emulator.state.OrganizationDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Routes authenticated WorkOS API requests to their endpoint. */
public final class ApiRoutes {

  private static final String IDEM = "Idempotency-Key";

  private final EventsEndpoint events;
  private final SchemasEndpoint schemas;
  final ExportsEndpoint exports;
  private final OrganizationsEndpoint organizations;
  final LegacyEventsEndpoint legacy;

  public ApiRoutes(
      Clock clock,
      OrganizationDirectory directory,
      EventStore store,
      SchemaRegistry registry,
      boolean schemaValidation,
      Duration exportReadyAfter) {
    this.events = new EventsEndpoint(clock, directory, store, registry, schemaValidation);
    this.schemas = new SchemasEndpoint(registry);
    this.exports = new ExportsEndpoint(clock, exportReadyAfter, directory, store);
    this.organizations = new OrganizationsEndpoint(directory);
    this.legacy = new LegacyEventsEndpoint(clock);
  }

  /** Whether {@code Idempotency-Key} applies to POSTs on this path. */
  boolean idempotent(String path) {
    return path.equals("/audit_logs/events") || path.equals("/events");
  }

  /** Forgets exports and legacy events. */
  public void clear() {
    exports.clear();
    legacy.clear();
  }

  ApiResponse route(Exchange ex) {
    List<String> s = ex.segments();
    String method = ex.method();
    int n = s.size();
    if (n >= 2 && s.get(0).equals("audit_logs")) {
      String area = s.get(1);
      if (n == 2 && area.equals("events")) {
        return only(method, "POST", () -> events.create(ex.body(), ex.json(), ex.header(IDEM)));
      }
      if (n == 2 && area.equals("actions")) {
        return only(method, "GET", () -> schemas.listActions(ex));
      }
      if (n == 4 && area.equals("actions") && s.get(3).equals("schemas")) {
        String action = s.get(2);
        return switch (method) {
          case "POST" -> schemas.create(action, ex.json());
          case "GET" -> schemas.listSchemas(ex, action);
          default -> methodNotAllowed("GET, POST");
        };
      }
      if (n == 2 && area.equals("exports")) {
        return only(method, "POST", () -> exports.create(ex.json()));
      }
      if (n == 3 && area.equals("exports")) {
        return only(method, "GET", () -> exports.get(ex, s.get(2)));
      }
    }
    if (n >= 2 && s.get(0).equals("organizations")) {
      if (n == 3 && s.get(1).equals("external_id")) {
        return only(method, "GET", () -> organizations.byExternalId(s.get(2)));
      }
      if (n == 3 && s.get(2).equals("audit_logs_retention")) {
        String id = s.get(1);
        return switch (method) {
          case "GET" -> organizations.retention(id);
          case "PUT" -> organizations.updateRetention(id, ex.json());
          default -> methodNotAllowed("GET, PUT");
        };
      }
      if (n == 2) {
        return only(method, "GET", () -> organizations.byId(s.get(1)));
      }
    }
    if (n == 1 && s.get(0).equals("events")) {
      return switch (method) {
        case "POST" -> legacy.create(ex.json());
        case "GET" -> legacy.list(ex);
        default -> methodNotAllowed("GET, POST");
      };
    }
    return Json.notFound("Not Found");
  }

  private static ApiResponse only(String method, String allowed, Supplier<ApiResponse> route) {
    return method.equals(allowed) ? route.get() : methodNotAllowed(allowed);
  }

  /** 405 with {@code Allow}: the route exists, the method does not. */
  private static ApiResponse methodNotAllowed(String allow) {
    return Json.error(
            405, "method_not_allowed", "Method Not Allowed; this route allows " + allow + ".")
        .withHeader("Allow", allow);
  }

  ApiResponse download(String exportId, Optional<String> token) {
    return exports.download(exportId, token);
  }
}
