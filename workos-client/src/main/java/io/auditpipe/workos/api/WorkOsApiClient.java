package io.auditpipe.workos.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.http.ErrorBody;
import io.auditpipe.workos.http.IoProblems;
import io.auditpipe.workos.http.WorkOsHttp;
import io.auditpipe.workos.retry.RetryAfter;
import io.auditpipe.workos.retry.RetryPolicy;
import io.auditpipe.workos.time.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;

/**
 * WorkOS's Audit Logs management calls for tools: schemas, exports, retention, and organizations by
 * external id. Blocking; thread-safe. Reads (GET) and the idempotent retention PUT are retried like
 * deliveries; creating calls (POST) only after a 429, which WorkOS answers before doing anything,
 * so a retry can never create a second schema version or export.
 */
public final class WorkOsApiClient implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int PAGE_LIMIT = 100;

  private final WorkOsClientConfig config;
  private final WorkOsHttp http;
  private final ExecutorService executor;
  private final RetryPolicy retryPolicy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RandomGenerator random = RandomGenerator.getDefault();

  /** A client that waits with {@link Thread#sleep}. */
  public WorkOsApiClient(WorkOsClientConfig config) {
    this(config, Clock.systemUTC(), Sleeper.SYSTEM);
  }

  /** A client with its time sources given (for tests). */
  public WorkOsApiClient(WorkOsClientConfig config, Clock clock, Sleeper sleeper) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = clock;
    this.sleeper = sleeper;
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "auditpipe-workos-api");
              t.setDaemon(true);
              return t;
            });
    this.http = WorkOsHttp.of(config, executor);
    this.retryPolicy = config.retryPolicy();
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
            post("/audit_logs/actions/" + segment(action) + "/schemas", schema),
            false);
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
    return export(call("create export", post("/audit_logs/exports", body), false));
  }

  /** The export's current state (and a fresh download link when ready). */
  public AuditLogExport getExport(String id) {
    return export(call("get export " + id, get("/audit_logs/exports/" + segment(id)), true));
  }

  /**
   * Polls the export every {@code interval} until it is ready or failed, at most {@code timeout}.
   *
   * @throws WorkOsApiException if it failed or is still pending after {@code timeout}
   */
  public AuditLogExport awaitExport(String id, Duration interval, Duration timeout) {
    Instant until = clock.instant().plus(timeout);
    while (true) {
      AuditLogExport e = getExport(id);
      if (e.ready()) {
        return e;
      }
      if (e.failed() || clock.instant().plus(interval).isAfter(until)) {
        throw new WorkOsApiException(
            "await export " + id,
            OptionalInt.empty(),
            Optional.empty(),
            "expected state ready, found " + e.state(),
            List.of(),
            Optional.empty(),
            null);
      }
      sleep(interval);
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
    HttpRequest request = http.unauthenticated(url).GET().build();
    try {
      HttpResponse<Path> r =
          http.client()
              .send(
                  request,
                  info ->
                      WorkOsHttp.isSuccess(info.statusCode())
                          ? HttpResponse.BodySubscribers.ofFile(target)
                          : HttpResponse.BodySubscribers.replacing(null));
      if (!WorkOsHttp.isSuccess(r.statusCode())) {
        throw new WorkOsApiException(
            "download export " + export.id(),
            OptionalInt.of(r.statusCode()),
            Optional.empty(),
            ErrorBody.describe(r.statusCode()),
            List.of(),
            WorkOsHttp.requestId(r),
            null);
      }
      return target;
    } catch (IOException e) {
      throw ioFailure("download export " + export.id(), e, url);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ioFailure("download export " + export.id(), e, url);
    }
  }

  /** Downloads a ready export's CSV into memory, for small exports and tests. */
  public String downloadCsv(AuditLogExport export) {
    try {
      Path tmp = java.nio.file.Files.createTempFile("auditpipe-export-", ".csv");
      try {
        downloadCsv(export, tmp);
        return java.nio.file.Files.readString(tmp, StandardCharsets.UTF_8);
      } finally {
        java.nio.file.Files.deleteIfExists(tmp);
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
            get("/organizations/" + segment(organizationId) + "/audit_logs_retention"),
            true);
    JsonNode days = n.get("retention_period_in_days");
    return days != null && days.canConvertToInt()
        ? OptionalInt.of(days.intValue())
        : OptionalInt.empty();
  }

  /** Sets the organization's retention (WorkOS accepts 30 or 365) and returns what it answered. */
  public int setRetention(String organizationId, int days) {
    ObjectNode body = MAPPER.createObjectNode().put("retention_period_in_days", days);
    HttpRequest.Builder put =
        http.request("/organizations/" + segment(organizationId) + "/audit_logs_retention")
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
    JsonNode n = call("set retention of " + organizationId, put, true);
    JsonNode answered = n.get("retention_period_in_days");
    return answered != null && answered.canConvertToInt() ? answered.intValue() : days;
  }

  // ---- organizations

  /** The organization with this external id; empty when WorkOS answers 404. */
  public Optional<Organization> organizationByExternalId(String externalId) {
    String call = "get organization by external id";
    try {
      JsonNode n = call(call, get("/organizations/external_id/" + segment(externalId)), true);
      return Optional.of(
          new Organization(
              n.path("id").asText(),
              n.path("name").asText(""),
              Optional.ofNullable(n.get("external_id"))
                  .filter(JsonNode::isTextual)
                  .map(JsonNode::textValue)));
    } catch (WorkOsApiException e) {
      if (e.status().isPresent() && e.status().getAsInt() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  WorkOsClientConfig config() {
    return config;
  }

  WorkOsHttp http() {
    return http;
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
      JsonNode page = call(call, get(path + q), true);
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

  private HttpRequest.Builder get(String path) {
    return http.request(path).GET();
  }

  private HttpRequest.Builder post(String path, JsonNode body) {
    return http.postJson(path, bytes(body));
  }

  private JsonNode call(String call, HttpRequest.Builder builder, boolean idempotent) {
    HttpRequest request = builder.build();
    int attempts = 0;
    while (true) {
      attempts++;
      HttpResponse<byte[]> r;
      try {
        r = http.client().send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        if (idempotent && retryPolicy.hasAttemptsLeft(attempts)) {
          sleep(retryPolicy.backoff(attempts, random));
          continue;
        }
        throw ioFailure(call, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ioFailure(call, e);
      }
      http.answered(r);
      int status = r.statusCode();
      if (WorkOsHttp.isSuccess(status)) {
        return parse(call, r);
      }
      boolean retry =
          (status == 429 || (idempotent && RetryPolicy.isRetryableStatus(status)))
              && retryPolicy.hasAttemptsLeft(attempts);
      if (retry) {
        Optional<Duration> ra =
            RetryAfter.parse(r.headers().firstValue("Retry-After"), clock.instant());
        sleep(retryPolicy.delay(attempts, ra, random));
        continue;
      }
      ErrorBody e = ErrorBody.parse(status, redact(r.body()));
      throw new WorkOsApiException(
          call,
          OptionalInt.of(status),
          e.code(),
          e.message(),
          e.errors(),
          WorkOsHttp.requestId(r),
          null);
    }
  }

  private JsonNode parse(String call, HttpResponse<byte[]> r) {
    byte[] body = r.body();
    if (body == null || body.length == 0) {
      return MAPPER.nullNode();
    }
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new WorkOsApiException(
          call,
          OptionalInt.of(r.statusCode()),
          Optional.empty(),
          "expected a JSON answer, found " + body.length + " bytes that do not parse",
          List.of(),
          WorkOsHttp.requestId(r),
          null);
    }
  }

  private void sleep(Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ioFailure("waiting to retry", e);
    }
  }

  private byte[] redact(byte[] body) {
    if (body == null) {
      return new byte[0];
    }
    String s = new String(body, StandardCharsets.UTF_8);
    return config.apiKey().redact(s).getBytes(StandardCharsets.UTF_8);
  }

  private WorkOsApiException ioFailure(String call, Exception e) {
    return ioFailure(call, e, config.baseUrl());
  }

  /** No answer from {@code target}: the message names the host and the reason in words. */
  private WorkOsApiException ioFailure(String call, Exception e, URI target) {
    return new WorkOsApiException(
        call,
        OptionalInt.empty(),
        Optional.empty(),
        config.apiKey().redact(IoProblems.describe(e, target)),
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

  /** A path segment, percent-encoded. */
  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String query(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
