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
import io.auditpipe.emulator.state.RecentAnswers;
import io.auditpipe.emulator.state.StoredEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code /_emulator/…} for tests and people, unauthenticated and never faulted: stored events
 * (paged), their facets, recent failures, counters, reset, faults, organizations, export downloads;
 * and the page at {@code /} with its assets under {@code /_emulator/page/}.
 */
public final class InspectionRoutes {

  private static final String EXPORTS = "/_emulator/exports/";
  private static final int MAX_PAGE = 1000;

  private final EventStore store;
  private final OrganizationDirectory organizations;
  private final FaultInjector faults;
  private final Supplier<EmulatorCounters> counters;
  private final Runnable reset;
  private final ApiRoutes api;
  private final RecentAnswers recent;

  public InspectionRoutes(
      EventStore store,
      OrganizationDirectory organizations,
      FaultInjector faults,
      Supplier<EmulatorCounters> counters,
      Runnable reset,
      ApiRoutes api,
      RecentAnswers recent) {
    this.recent = recent;
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
    if (path.equals("/") || path.startsWith(PageAssets.PREFIX)) {
      return method.equals("GET") || method.equals("HEAD")
          ? PageAssets.get(path).orElseGet(() -> Json.notFound("Not Found"))
          : Json.error(405, "method_not_allowed", "Method Not Allowed; this route allows GET.")
              .withHeader("Allow", "GET");
    }
    switch (path) {
      case "/_emulator/events" -> {
        return events(ex);
      }
      case "/_emulator/facets" -> {
        return facets(ex);
      }
      case "/_emulator/failures" -> {
        return failures(ex);
      }
      case "/_emulator/counters" -> {
        return ApiResponse.json(200, Json.MAPPER.valueToTree(counters.get()));
      }
      case "/_emulator/reset" -> {
        if (method.equals("POST")) {
          reset.run();
          return ApiResponse.json(200, Json.SUCCESS);
        }
      }
      case "/_emulator/faults" -> {
        if (method.equals("PUT") || method.equals("POST")) {
          faults.set(FaultSettings.fromJson(ex.json(), FaultSettings.NONE));
        }
        return ApiResponse.json(200, faults.settings().toJson());
      }
      case "/_emulator/organizations" -> {
        if (method.equals("POST")) {
          return createOrganization(ex.json());
        }
        ObjectNode n = Json.object();
        ArrayNode data = n.putArray("data");
        organizations.all().forEach(o -> data.add(OrganizationsEndpoint.render(o)));
        return ApiResponse.json(200, n);
      }
      default -> {}
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
    try {
      Organization o =
          organizations.add(id, name, Optional.ofNullable(Json.text(body, "external_id")));
      return ApiResponse.json(201, OrganizationsEndpoint.render(o));
    } catch (IllegalArgumentException e) {
      return Json.error(409, "duplicate_external_id", e.getMessage());
    }
  }

  /**
   * {@code GET /_emulator/events?organization_id=&action=&actor_id=&actor=&target_type=
   * &idempotency_key=&order=&limit=&after=}: {@code {"total":n,"data":[…],"list_metadata":
   * {"after":…}}}. {@code total} counts every match; {@code data} holds one page of at most {@code
   * limit} (1–1000, default 100) in the order accepted ({@code order=desc}: newest first), after
   * the event whose id {@code after} names; {@code list_metadata.after} is the cursor of the next
   * page, null on the last. {@code actor} matches an actor's id or name.
   */
  private ApiResponse events(Exchange ex) {
    Optional<String> org = ex.param("organization_id");
    Optional<String> action = ex.param("action").filter(a -> !a.isEmpty());
    Optional<String> actorId = ex.param("actor_id").filter(a -> !a.isEmpty());
    Optional<String> actor = ex.param("actor").filter(a -> !a.isEmpty());
    Optional<String> targetType = ex.param("target_type");
    Optional<String> key = ex.param("idempotency_key");
    int limit = intParam(ex, "limit", 100, 1, MAX_PAGE);
    boolean desc = order(ex);
    Optional<String> after = ex.param("after").filter(a -> !a.isEmpty());
    List<StoredEvent> source =
        org.filter(o -> !o.isEmpty()).map(store::events).orElseGet(store::all);
    if (desc) {
      Collections.reverse(source);
    }
    int total = 0;
    boolean started = after.isEmpty();
    List<StoredEvent> page = new ArrayList<>();
    boolean more = false;
    for (StoredEvent s : source) {
      if (action.isPresent() && !action.get().equals(s.event().action())) {
        continue;
      }
      if (actorId.isPresent() && !actorId.get().equals(s.event().actor().id())) {
        continue;
      }
      if (actor.isPresent()
          && !actor.get().equals(s.event().actor().id())
          && !actor.get().equals(s.event().actor().name().orElse(null))) {
        continue;
      }
      if (targetType.isPresent()
          && s.event().targets().stream().noneMatch(t -> t.type().equals(targetType.get()))) {
        continue;
      }
      if (key.isPresent() && !s.idempotencyKey().equals(key)) {
        continue;
      }
      total++;
      if (!started) {
        started = s.id().equals(after.get());
      } else if (page.size() < limit) {
        page.add(s);
      } else {
        more = true;
      }
    }
    ObjectNode n = Json.object();
    n.put("total", total);
    ArrayNode data = n.putArray("data");
    page.forEach(s -> data.add(render(s)));
    ObjectNode meta = n.putObject("list_metadata");
    if (more) {
      meta.put("after", page.get(page.size() - 1).id());
    } else {
      meta.putNull("after");
    }
    return ApiResponse.json(200, n);
  }

  /** The actions and actors among the stored events (of one organization), for the page. */
  private ApiResponse facets(Exchange ex) {
    Optional<String> org = ex.param("organization_id").filter(o -> !o.isEmpty());
    Set<String> actions = new TreeSet<>();
    Set<String> actors = new TreeSet<>();
    for (StoredEvent s : org.map(store::events).orElseGet(store::all)) {
      actions.add(s.event().action());
      actors.add(s.event().actor().id());
    }
    ObjectNode n = Json.object();
    actions.forEach(n.putArray("actions")::add);
    actors.forEach(n.putArray("actors")::add);
    return ApiResponse.json(200, n);
  }

  /**
   * {@code GET /_emulator/failures?throttled=&limit=}: recent API answers that were not 2xx, newest
   * first; {@code throttled=true} keeps only 429s, {@code false} leaves them out.
   */
  private ApiResponse failures(Exchange ex) {
    Optional<Boolean> throttled = ex.param("throttled").map(Boolean::parseBoolean);
    int limit = intParam(ex, "limit", 100, 1, RecentAnswers.CAPACITY);
    List<RecentAnswers.Answer> all = recent.all();
    ObjectNode n = Json.object();
    ArrayNode data = n.putArray("data");
    for (int i = all.size() - 1; i >= 0 && data.size() < limit; i--) {
      RecentAnswers.Answer a = all.get(i);
      if (throttled.isPresent() && throttled.get() != (a.status() == 429)) {
        continue;
      }
      ObjectNode o = data.addObject();
      o.put("at", a.at().toString());
      o.put("status", a.status());
      if (a.code().isPresent()) {
        o.put("code", a.code().get());
      } else {
        o.putNull("code");
      }
      o.put("message", a.message());
      o.put("request_id", a.requestId());
      o.put("method", a.method());
      o.put("path", a.path());
    }
    return ApiResponse.json(200, n);
  }

  private static int intParam(Exchange ex, String name, int dflt, int min, int max) {
    String v = ex.param(name).orElse(null);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(
        Json.error(
            422,
            "invalid_" + name,
            name + ": expected " + min + " to " + max + ", found '" + v + "'"));
  }

  private static boolean order(Exchange ex) {
    String o = ex.param("order").orElse("asc");
    if (!o.equals("asc") && !o.equals("desc")) {
      throw new ApiException(
          Json.error(422, "invalid_order", "order: expected asc or desc, found '" + o + "'"));
    }
    return o.equals("desc");
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
