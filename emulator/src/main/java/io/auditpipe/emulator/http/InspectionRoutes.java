package io.auditpipe.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.emulator.EmulatorCounters;
import io.auditpipe.emulator.faults.FaultInjector;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.emulator.state.EventStore;
import io.auditpipe.emulator.state.Ids;
import io.auditpipe.emulator.state.Organization;
import io.auditpipe.emulator.state.OrganizationDirectory;
import io.auditpipe.emulator.state.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /_emulator/…} for tests and people, unauthenticated and never faulted: stored events,
 * counters, reset, faults, organizations, export downloads; and the page at {@code /}.
 */
public final class InspectionRoutes {

  private static final String EXPORTS = "/_emulator/exports/";

  private final EventStore store;
  private final OrganizationDirectory organizations;
  private final FaultInjector faults;
  private final Supplier<EmulatorCounters> counters;
  private final Runnable reset;
  private final ApiRoutes api;

  public InspectionRoutes(
      EventStore store,
      OrganizationDirectory organizations,
      FaultInjector faults,
      Supplier<EmulatorCounters> counters,
      Runnable reset,
      ApiRoutes api) {
    this.store = store;
    this.organizations = organizations;
    this.faults = faults;
    this.counters = counters;
    this.reset = reset;
    this.api = api;
  }

  ApiResponse route(Exchange ex) {
    String path = ex.path();
    String method = ex.method();
    if (path.equals("/") && method.equals("GET")) {
      return ApiResponse.text(
          200, "text/html; charset=utf-8", HomePage.render(organizations, store));
    }
    switch (path) {
      case "/_emulator/events":
        return events(ex);
      case "/_emulator/counters":
        return ApiResponse.json(200, Json.MAPPER.valueToTree(counters.get()));
      case "/_emulator/reset":
        if (method.equals("POST")) {
          reset.run();
          return ApiResponse.json(200, Json.SUCCESS);
        }
        break;
      case "/_emulator/faults":
        if (method.equals("PUT") || method.equals("POST")) {
          faults.set(FaultSettings.fromJson(ex.json(), FaultSettings.NONE));
        }
        return ApiResponse.json(200, faults.settings().toJson());
      case "/_emulator/organizations":
        if (method.equals("POST")) {
          return createOrganization(ex.json());
        }
        ObjectNode n = Json.object();
        ArrayNode data = n.putArray("data");
        organizations.all().forEach(o -> data.add(OrganizationsEndpoint.render(o)));
        return ApiResponse.json(200, n);
      default:
        break;
    }
    if (path.startsWith(EXPORTS) && path.endsWith("/csv") && method.equals("GET")) {
      String id = path.substring(EXPORTS.length(), path.length() - "/csv".length());
      return api.download(id, ex.param("token"));
    }
    return Json.notFound("Not Found");
  }

  private ApiResponse createOrganization(JsonNode body) {
    String id = Optional.ofNullable(Json.text(body, "id")).orElseGet(() -> Ids.next("org_"));
    String name = Optional.ofNullable(Json.text(body, "name")).orElse(id);
    Organization o =
        organizations.add(id, name, Optional.ofNullable(Json.text(body, "external_id")));
    return ApiResponse.json(201, OrganizationsEndpoint.render(o));
  }

  /**
   * {@code GET /_emulator/events?organization_id=&action=&actor_id=&target_type=
   * &idempotency_key=&limit=}: {@code {"total":n,"data":[…]}} in the order accepted; {@code total}
   * counts every match, {@code data} holds the first {@code limit} (default 1000).
   */
  private ApiResponse events(Exchange ex) {
    Optional<String> org = ex.param("organization_id");
    Optional<String> action = ex.param("action");
    Optional<String> actorId = ex.param("actor_id");
    Optional<String> targetType = ex.param("target_type");
    Optional<String> key = ex.param("idempotency_key");
    int limit = ex.param("limit").map(Integer::parseInt).orElse(1000);
    List<StoredEvent> source = org.map(store::events).orElseGet(store::all);
    List<StoredEvent> matching = new ArrayList<>();
    for (StoredEvent s : source) {
      if (action.isPresent() && !action.get().equals(s.event().action())) {
        continue;
      }
      if (actorId.isPresent() && !actorId.get().equals(s.event().actor().id())) {
        continue;
      }
      if (targetType.isPresent()
          && s.event().targets().stream().noneMatch(t -> t.type().equals(targetType.get()))) {
        continue;
      }
      if (key.isPresent() && !s.idempotencyKey().equals(key)) {
        continue;
      }
      matching.add(s);
    }
    ObjectNode n = Json.object();
    n.put("total", matching.size());
    ArrayNode data = n.putArray("data");
    for (int i = 0; i < Math.min(limit, matching.size()); i++) {
      data.add(render(matching.get(i)));
    }
    return ApiResponse.json(200, n);
  }

  static ObjectNode render(StoredEvent s) {
    ObjectNode n = Json.object();
    n.put("id", s.id());
    n.put("organization_id", s.organizationId());
    n.put("received_at", s.receivedAt().toString());
    if (s.idempotencyKey().isPresent()) {
      n.put("idempotency_key", s.idempotencyKey().get());
    } else {
      n.putNull("idempotency_key");
    }
    n.set("event", s.json());
    return n;
  }
}
