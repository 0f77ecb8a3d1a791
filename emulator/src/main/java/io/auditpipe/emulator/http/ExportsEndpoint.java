package io.auditpipe.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.Target;
import io.auditpipe.emulator.state.EventStore;
import io.auditpipe.emulator.state.Ids;
import io.auditpipe.emulator.state.OrganizationDirectory;
import io.auditpipe.emulator.state.StoredEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exports: created {@code pending}, {@code ready} once {@code readyAfter} has passed (the CSV is
 * built then, from the events stored at that moment); each GET of a ready export issues a fresh
 * {@code url} valid for 10 minutes.
 */
final class ExportsEndpoint {

  static final Duration URL_TTL = Duration.ofMinutes(10);

  private final Clock clock;
  private final Duration readyAfter;
  private final OrganizationDirectory organizations;
  private final EventStore store;
  private final Map<String, Export> exports = new ConcurrentHashMap<>();
  private final Map<String, Download> downloads = new ConcurrentHashMap<>();

  private record Filters(
      String organizationId,
      Instant start,
      Instant end,
      List<String> actions,
      List<String> actorNames,
      List<String> actorIds,
      List<String> targets) {}

  private static final class Export {
    final String id;
    final Filters filters;
    final Instant createdAt;
    volatile Instant updatedAt;
    volatile String csv;

    Export(String id, Filters filters, Instant createdAt) {
      this.id = id;
      this.filters = filters;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
    }
  }

  private record Download(String exportId, Instant expiresAt) {}

  ExportsEndpoint(
      Clock clock, Duration readyAfter, OrganizationDirectory organizations, EventStore store) {
    this.clock = clock;
    this.readyAfter = readyAfter;
    this.organizations = organizations;
    this.store = store;
  }

  ApiResponse create(JsonNode body) {

    List<io.auditpipe.core.model.Violation> v = new ArrayList<>();
    String org = Json.text(body, "organization_id");
    if (org == null) {
      v.add(new io.auditpipe.core.model.Violation("organization_id", "required", "required"));
    }
    Optional<Instant> start = instant(body, "range_start", v);
    Optional<Instant> end = instant(body, "range_end", v);
    List<String> actions = strings(body, "actions", v);
    List<String> actorNames = new ArrayList<>(strings(body, "actor_names", v));
    actorNames.addAll(strings(body, "actors", v));
    List<String> actorIds = strings(body, "actor_ids", v);
    List<String> targets = strings(body, "targets", v);
    if (!v.isEmpty()) {
      return Json.validationFailed(v);
    }
    if (!organizations.exists(org)) {
      return Json.organizationNotFound(org);
    }
    Instant now = clock.instant();
    Instant earliest = now.atZone(ZoneOffset.UTC).minusMonths(3).toInstant();
    if (start.get().isBefore(earliest)
        || !end.get().isAfter(start.get())
        || start.get().isAfter(now)) {
      return Json.error(
          400,
          "invalid_audit_log_export_range_date",
          "range_start and range_end must be within the past three months, with range_start"
              + " before range_end.");
    }
    Export e =
        new Export(
            Ids.next("audit_log_export_"),
            new Filters(org, start.get(), end.get(), actions, actorNames, actorIds, targets),
            now);
    exports.put(e.id, e);
    return ApiResponse.json(201, render(e, null));
  }

  ApiResponse get(Exchange ex, String id) {
    Export e = exports.get(id);
    if (e == null) {
      return Json.notFound("Audit Log export not found: '" + id + "'.");
    }
    Instant now = clock.instant();
    String url = null;
    synchronized (e) {
      if (e.csv == null && !now.isBefore(e.createdAt.plus(readyAfter))) {
        e.csv = ExportCsv.write(matching(e.filters));
        e.updatedAt = now;
      }
    }
    if (e.csv != null) {
      String token = Ids.next("").toLowerCase(java.util.Locale.ROOT);
      downloads.put(token, new Download(e.id, now.plus(URL_TTL)));
      url = ex.origin() + "/_emulator/exports/" + e.id + "/csv?token=" + token;
    }
    return ApiResponse.json(200, render(e, url));
  }

  /** {@code GET /_emulator/exports/{id}/csv?token=…}: the CSV while the url is valid, else 403. */
  ApiResponse download(String id, Optional<String> token) {
    Download d = token.map(downloads::get).orElse(null);
    if (d == null || !d.exportId().equals(id)) {
      return ApiResponse.text(403, "text/plain", "Access denied: unknown download token.");
    }
    if (!clock.instant().isBefore(d.expiresAt())) {
      return ApiResponse.text(403, "text/plain", "Request has expired.");
    }
    Export e = exports.get(id);
    return ApiResponse.text(200, "text/csv; charset=utf-8", e.csv);
  }

  private List<StoredEvent> matching(Filters f) {
    List<StoredEvent> out = new ArrayList<>();
    for (StoredEvent s : store.events(f.organizationId())) {
      AuditEvent e = s.event();
      if (e.occurredAt().isBefore(f.start()) || e.occurredAt().isAfter(f.end())) {
        continue;
      }
      if (!f.actions().isEmpty() && !f.actions().contains(e.action())) {
        continue;
      }
      if (!f.actorIds().isEmpty() && !f.actorIds().contains(e.actor().id())) {
        continue;
      }
      if (!f.actorNames().isEmpty()
          && !e.actor().name().map(f.actorNames()::contains).orElse(false)) {
        continue;
      }
      if (!f.targets().isEmpty()
          && e.targets().stream().map(Target::type).noneMatch(f.targets()::contains)) {
        continue;
      }
      out.add(s);
    }
    out.sort(java.util.Comparator.comparing((StoredEvent s) -> s.event().occurredAt()));
    return out;
  }

  private static ObjectNode render(Export e, String url) {
    ObjectNode n = Json.object();
    n.put("object", "audit_log_export");
    n.put("id", e.id);
    n.put("state", e.csv == null ? "pending" : "ready");
    if (url != null) {
      n.put("url", url);
    }
    n.put("created_at", e.createdAt.toString());
    n.put("updated_at", e.updatedAt.toString());
    return n;
  }

  private static Optional<Instant> instant(
      JsonNode body, String field, List<io.auditpipe.core.model.Violation> v) {
    String s = Json.text(body, field);
    if (s == null) {
      v.add(new io.auditpipe.core.model.Violation(field, "required", "required"));
      return Optional.empty();
    }
    try {
      return Optional.of(DateTimeFormatter.ISO_DATE_TIME.parse(s, Instant::from));
    } catch (DateTimeParseException e) {
      v.add(new io.auditpipe.core.model.Violation(field, "invalid_value", "ISO-8601 expected"));
      return Optional.empty();
    }
  }

  private static List<String> strings(
      JsonNode body, String field, List<io.auditpipe.core.model.Violation> v) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      v.add(new io.auditpipe.core.model.Violation(field, "invalid_type", "array expected"));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  void clear() {
    exports.clear();
    downloads.clear();
  }
}
