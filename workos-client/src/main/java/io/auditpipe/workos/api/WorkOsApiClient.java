package io.auditpipe.workos.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.exchange.ExchangeEngine;
import io.auditpipe.workos.exchange.ExchangeRequest;
import io.auditpipe.workos.exchange.ExchangeResult;
import io.auditpipe.workos.http.ErrorBody;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpMethod;

/**
 * WorkOS's Audit Logs management calls for tools: schemas, exports, retention, and organizations by
 * external id. Blocking; thread-safe. The calls run on an {@link ExchangeEngine} — the same budget,
 * retries, {@code Retry-After} handling and redaction as events. Reads (GET) and the idempotent
 * retention PUT are retried like deliveries; creating calls (POST) only after a 429, which WorkOS
 * answers before doing anything, so a retry can never create a second schema version or export.
 */
public final class WorkOsApiClient implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int PAGE_LIMIT = 100;

  private final ExchangeEngine engine;
  private final boolean ownsEngine;
  private final WorkOsClientConfig config;

  /** A client with an engine of its own for {@code config}; closing the client closes it. */
  public WorkOsApiClient(WorkOsClientConfig config) {
    this(ExchangeEngine.builder(Objects.requireNonNull(config, "config")).build(), true);
  }

  private WorkOsApiClient(ExchangeEngine engine, boolean ownsEngine) {
    this.engine = engine;
    this.ownsEngine = ownsEngine;
    this.config = engine.config();
  }

  /** A client on a shared engine (its budget and listener); closing the client leaves it open. */
  public static WorkOsApiClient on(ExchangeEngine engine) {
    return new WorkOsApiClient(Objects.requireNonNull(engine, "engine"), false);
  }

  // ---- schemas

  /**
   * Creates a new schema version for {@code action} (creating the action if missing). {@code
   * schema} is the request body: {@code targets} (required), optional {@code actor} and {@code
   * metadata}.
   */
  public AuditLogSchema createSchema(String action, JsonNode schema) {
    JsonNode n =
        call(
            "create schema for action " + action,
            post("/audit_logs/actions/" + segment(action) + "/schemas", schema));
    return schema(n);
  }

  /** Every action with its latest schema ({@code audit_log_action} objects), all pages. */
  public List<JsonNode> listActions() {
    return listAll("list actions", "/audit_logs/actions");
  }

  /** Every schema version of {@code action}, newest first, all pages. */
  public List<AuditLogSchema> listSchemas(String action) {
    List<AuditLogSchema> out = new ArrayList<>();
    for (JsonNode n :
        listAll(
            "list schemas of action " + action,
            "/audit_logs/actions/" + segment(action) + "/schemas")) {
      out.add(schema(n));
    }
    return out;
  }

  // ---- exports

  /** Starts an export; it is {@code pending} until WorkOS has built the CSV. */
  public AuditLogExport createExport(ExportRequest request) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("organization_id", request.organizationId());
    body.put("range_start", request.rangeStart().toString());
    body.put("range_end", request.rangeEnd().toString());
    putList(body, "actions", request.actions());
    putList(body, "actor_names", request.actorNames());
    putList(body, "actor_ids", request.actorIds());
    putList(body, "targets", request.targets());
    return export(call("create export", post("/audit_logs/exports", body)));
  }

  /** The export's current state (and a fresh download link when ready). */
  public AuditLogExport getExport(String id) {
    return export(call("get export " + id, get("/audit_logs/exports/" + segment(id))));
  }

  /**
   * Polls the export every {@code interval} until it is ready or failed, at most {@code timeout}.
   *
   * @throws WorkOsApiException if it failed or is still pending after {@code timeout}
   */
  public AuditLogExport awaitExport(String id, Duration interval, Duration timeout) {
    Instant until = engine.clock().instant().plus(timeout);
    while (true) {
      AuditLogExport e = getExport(id);
      if (e.ready()) {
        return e;
      }
      if (e.failed() || engine.clock().instant().plus(interval).isAfter(until)) {
        throw new WorkOsApiException(
            "await export " + id,
            OptionalInt.empty(),
            Optional.empty(),
            "expected state ready, found " + e.state(),
            List.of(),
            Optional.empty(),
            null);
      }
      join("await export " + id, engine.after(interval));
    }
  }

  /** Downloads a ready export's CSV to {@code target} (replacing it) and returns {@code target}. */
  public Path downloadCsv(AuditLogExport export, Path target) {
    URI url =
        export
            .url()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "export "
                            + export.id()
                            + ": expected a ready export, found "
                            + export.state()));
    // The link is presigned: the API key is not sent to whatever host serves it.
    String call = "download export " + export.id();
    try {
      int status = engine.http().download(url, target);
      if (status / 100 != 2) {
        throw new WorkOsApiException(
            call,
            OptionalInt.of(status),
            Optional.empty(),
            ErrorBody.describe(status),
            List.of(),
            Optional.empty(),
            null);
      }
      return target;
    } catch (IOException | TimeoutException e) {
      throw ioFailure(call, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ioFailure(call, e);
    }
  }

  /** Downloads a ready export's CSV into memory, for small exports and tests. */
  public String downloadCsv(AuditLogExport export) {
    try {
      Path tmp = Files.createTempFile("auditpipe-export-", ".csv");
      try {
        downloadCsv(export, tmp);
        return Files.readString(tmp, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw ioFailure("download export " + export.id(), e);
    }
  }

  // ---- retention

  /** The organization's retention in days; empty when WorkOS has none set ({@code null}). */
  public OptionalInt getRetention(String organizationId) {
    JsonNode n =
        call(
            "get retention of " + organizationId,
            get("/organizations/" + segment(organizationId) + "/audit_logs_retention"));
    JsonNode days = n.get("retention_period_in_days");
    return days != null && days.canConvertToInt()
        ? OptionalInt.of(days.intValue())
        : OptionalInt.empty();
  }

  /** Sets the organization's retention (WorkOS accepts 30 or 365) and returns what it answered. */
  public int setRetention(String organizationId, int days) {
    ObjectNode body = MAPPER.createObjectNode().put("retention_period_in_days", days);
    JsonNode n =
        call(
            "set retention of " + organizationId,
            request(
                HttpMethod.PUT,
                "/organizations/" + segment(organizationId) + "/audit_logs_retention",
                Optional.of(bytes(body)),
                ExchangeRequest.Retries.ALL));
    JsonNode answered = n.get("retention_period_in_days");
    return answered != null && answered.canConvertToInt() ? answered.intValue() : days;
  }

  // ---- organizations

  /** The organization with this external id; empty when WorkOS answers 404. */
  public Optional<Organization> organizationByExternalId(String externalId) {
    String call = "get organization by external id";
    ExchangeResult r = join(call, organizationByExternalIdAsync(externalId));
    if (r instanceof ExchangeResult.Refused f && f.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(organization(json(call, r)));
  }

  /**
   * The call behind {@link #organizationByExternalId}, without blocking: for lookups that must not
   * hold a thread. Read the answer with {@link #organization(JsonNode)}.
   */
  public CompletableFuture<ExchangeResult> organizationByExternalIdAsync(String externalId) {
    return engine.exchange(get("/organizations/external_id/" + segment(externalId)));
  }

  /** An organization from its JSON answer. */
  public static Organization organization(JsonNode n) {
    return new Organization(
        n.path("id").asText(),
        n.path("name").asText(""),
        Optional.ofNullable(n.get("external_id"))
            .filter(JsonNode::isTextual)
            .map(JsonNode::textValue));
  }

  @Override
  public void close() {
    if (ownsEngine) {
      engine.close();
    }
  }

  @Override
  public String toString() {
    return "WorkOsApiClient{" + config.baseUrl() + "}";
  }

  // ---- plumbing

  private List<JsonNode> listAll(String call, String path) {
    List<JsonNode> out = new ArrayList<>();
    String after = null;
    do {
      String q = "?limit=" + PAGE_LIMIT + (after == null ? "" : "&after=" + query(after));
      JsonNode page = call(call, get(path + q));
      JsonNode data = page.path("data");
      if (data instanceof ArrayNode a) {
        a.forEach(out::add);
      }
      JsonNode next = page.path("list_metadata").path("after");
      after =
          next.isTextual() && !next.textValue().isEmpty() && data.size() > 0
              ? next.textValue()
              : null;
    } while (after != null);
    return out;
  }

  private ExchangeRequest get(String path) {
    return request(HttpMethod.GET, path, Optional.empty(), ExchangeRequest.Retries.ALL);
  }

  private ExchangeRequest post(String path, JsonNode body) {
    return request(
        HttpMethod.POST, path, Optional.of(bytes(body)), ExchangeRequest.Retries.THROTTLED_ONLY);
  }

  private ExchangeRequest request(
      HttpMethod method, String path, Optional<byte[]> body, ExchangeRequest.Retries retries) {
    return new ExchangeRequest(
        method, engine.http().uri(path), body, Optional.empty(), retries, true);
  }

  private JsonNode call(String call, ExchangeRequest request) {
    return json(call, join(call, engine.exchange(request)));
  }

  /** The JSON of a successful result; anything else as the exception it is. */
  private JsonNode json(String call, ExchangeResult r) {
    if (r instanceof ExchangeResult.Success s) {
      byte[] body = s.body();
      if (body.length == 0) {
        return MAPPER.nullNode();
      }
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new WorkOsApiException(
            call,
            OptionalInt.of(s.status()),
            Optional.empty(),
            "expected a JSON answer, found " + body.length + " bytes that do not parse",
            List.of(),
            s.requestId(),
            null);
      }
    }
    if (r instanceof ExchangeResult.Refused f) {
      return fail(
          call,
          OptionalInt.of(f.status()),
          f.error().code(),
          f.error().message(),
          f.error().errors(),
          f.requestId());
    }
    if (r instanceof ExchangeResult.Misconfigured m) {
      return fail(call, m.status(), Optional.empty(), m.reason(), List.of(), Optional.empty());
    }
    ExchangeResult.Failed f = (ExchangeResult.Failed) r;
    return fail(call, f.lastStatus(), Optional.empty(), f.cause(), List.of(), Optional.empty());
  }

  private static JsonNode fail(
      String call,
      OptionalInt status,
      Optional<String> code,
      String message,
      List<JsonNode> errors,
      Optional<String> requestId) {
    throw new WorkOsApiException(call, status, code, message, errors, requestId, null);
  }

  private <T> T join(String call, CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ioFailure(call, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the exchange engine never fails a call", e.getCause());
    }
  }

  private WorkOsApiException ioFailure(String call, Exception e) {
    String m = e.getMessage();
    return new WorkOsApiException(
        call,
        OptionalInt.empty(),
        Optional.empty(),
        e.getClass().getSimpleName() + (m == null ? "" : ": " + config.apiKey().redact(m)),
        List.of(),
        Optional.empty(),
        null);
  }

  private static AuditLogSchema schema(JsonNode n) {
    return new AuditLogSchema(n.path("version").asInt(0), n);
  }

  private static AuditLogExport export(JsonNode n) {
    JsonNode url = n.get("url");
    return new AuditLogExport(
        n.path("id").asText(),
        n.path("state").asText(""),
        url != null && url.isTextual()
            ? Optional.of(URI.create(url.textValue()))
            : Optional.empty(),
        n);
  }

  private static void putList(ObjectNode body, String field, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode a = body.putArray(field);
      values.forEach(a::add);
    }
  }

  private static byte[] bytes(JsonNode body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String query(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
