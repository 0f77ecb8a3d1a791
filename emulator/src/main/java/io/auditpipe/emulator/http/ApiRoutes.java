package io.auditpipe.emulator.http;

import io.auditpipe.emulator.schemas.SchemaRegistry;
import io.auditpipe.emulator.state.EventStore;
import io.auditpipe.emulator.state.OrganizationDirectory;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Routes authenticated WorkOS API requests to their endpoint. */
public final class ApiRoutes {

  private static final String ACTIONS = "/audit_logs/actions/";
  private static final String EXPORTS = "/audit_logs/exports/";
  private static final String ORGANIZATIONS = "/organizations/";
  private static final String BY_EXTERNAL_ID = "/organizations/external_id/";
  private static final String RETENTION = "/audit_logs_retention";

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
    String path = ex.path();
    String method = ex.method();
    boolean get = method.equals("GET");
    boolean post = method.equals("POST");
    if (path.equals("/audit_logs/events") && post) {
      return events.create(ex.body(), ex.json(), ex.header("Idempotency-Key"));
    }
    if (path.equals("/audit_logs/actions") && get) {
      return schemas.listActions(ex);
    }
    if (path.startsWith(ACTIONS) && path.endsWith("/schemas")) {
      String action = decode(path.substring(ACTIONS.length(), path.length() - "/schemas".length()));
      if (post) {
        return schemas.create(action, ex.json());
      }
      if (get) {
        return schemas.listSchemas(ex, action);
      }
    }
    if (path.equals("/audit_logs/exports") && post) {
      return exports.create(ex.json());
    }
    if (path.startsWith(EXPORTS) && get) {
      return exports.get(ex, decode(path.substring(EXPORTS.length())));
    }
    if (path.startsWith(BY_EXTERNAL_ID) && get) {
      return organizations.byExternalId(decode(path.substring(BY_EXTERNAL_ID.length())));
    }
    if (path.startsWith(ORGANIZATIONS) && path.endsWith(RETENTION)) {
      String id =
          decode(path.substring(ORGANIZATIONS.length(), path.length() - RETENTION.length()));
      if (get) {
        return organizations.retention(id);
      }
      if (method.equals("PUT") || post) {
        return organizations.updateRetention(id, ex.json());
      }
    }
    if (path.startsWith(ORGANIZATIONS) && get && path.indexOf('/', ORGANIZATIONS.length()) < 0) {
      return organizations.byId(decode(path.substring(ORGANIZATIONS.length())));
    }
    if (path.equals("/events")) {
      if (post) {
        return legacy.create(ex.json());
      }
      if (get) {
        return legacy.list(ex);
      }
    }
    return Json.notFound("Not Found");
  }

  ApiResponse download(String exportId, Optional<String> token) {
    return exports.download(exportId, token);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
