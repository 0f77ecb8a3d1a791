package io.auditpipe.workos.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.workos.FinalAnswers;
import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.http.ErrorBody;
import io.auditpipe.workos.http.ExchangeDeadlines;
import io.auditpipe.workos.http.WorkOsHttp;
import io.auditpipe.workos.ratelimit.RateLimiter;
import io.auditpipe.workos.retry.RetryAfter;
import io.auditpipe.workos.retry.RetryPolicy;
import io.auditpipe.workos.time.ExecutorScheduler;
import io.auditpipe.workos.time.Scheduler;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * {@link OrganizationLookup} over a {@link WorkOsApiClient}'s HTTP side: asynchronous, each attempt
 * paced by a shared {@link RateLimiter} (the delivery budget), retried after 408/429/5xx and I/O
 * errors with the configured backoff (scheduled, never slept), and sorted by {@link FinalAnswers}.
 * Not cached: wrap it in a {@link CachingOrganizationLookup}.
 */
public final class ApiOrganizationLookup implements OrganizationLookup {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final WorkOsClientConfig config;
  private final WorkOsHttp http;
  private final RateLimiter budget;
  private final RetryPolicy retryPolicy;
  private final ExecutorService executor;
  private final Scheduler scheduler;
  private final Clock clock = Clock.systemUTC();
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ExchangeDeadlines deadlines;

  /**
   * @param api the client whose configuration and connection the lookups use
   * @param budget the rate limiter every request of the API key takes a permit from
   */
  public ApiOrganizationLookup(WorkOsApiClient api, RateLimiter budget) {
    this.config = api.config();
    this.http = api.http();
    this.budget = Objects.requireNonNull(budget, "budget");
    this.retryPolicy = config.retryPolicy();
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "auditpipe-workos-lookup");
              t.setDaemon(true);
              return t;
            });
    this.scheduler = new ExecutorScheduler("auditpipe-workos-lookup-timer", executor);
    // The JDK client's own timeout stops at the response headers; a stalled body must not hold a
    // lookup (and every record waiting for it) for good.
    this.deadlines =
        new ExchangeDeadlines(config.requestTimeout(), "auditpipe-workos-lookup-deadlines");
  }

  @Override
  public CompletableFuture<LookupOutcome> byExternalId(String externalId) {
    Objects.requireNonNull(externalId, "externalId");
    if (externalId.isEmpty()) {
      throw new IllegalArgumentException("externalId: expected at least one character");
    }
    Lookup lookup = new Lookup(externalId);
    lookup.pace(Duration.ZERO);
    return lookup.future;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      scheduler.close();
      deadlines.close();
      executor.shutdownNow();
    }
  }

  private final class Lookup {
    final HttpRequest request;
    final CompletableFuture<LookupOutcome> future = new CompletableFuture<>();
    int attempts;

    Lookup(String externalId) {
      this.request =
          http.request("/organizations/external_id/" + WorkOsApiClient.segment(externalId))
              .GET()
              .build();
    }

    void pace(Duration delay) {
      schedule(
          delay,
          () -> {
            Duration wait = budget.reserve();
            schedule(wait, this::attempt);
          });
    }

    void schedule(Duration delay, Runnable task) {
      if (closed.get()) {
        future.complete(new LookupOutcome.Unavailable("lookup closed", OptionalInt.empty()));
        return;
      }
      try {
        scheduler.schedule(delay, task);
      } catch (RuntimeException e) {
        future.complete(new LookupOutcome.Unavailable("lookup closed", OptionalInt.empty()));
      }
    }

    void attempt() {
      attempts++;
      try {
        deadlines
            .watch(http.client().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()))
            .whenComplete(this::onAnswer);
      } catch (RuntimeException e) {
        onAnswer(null, e);
      }
    }

    void onAnswer(HttpResponse<byte[]> response, Throwable error) {
      if (error != null) {
        Throwable cause =
            error instanceof CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        String m = cause.getMessage();
        String described =
            cause.getClass().getSimpleName()
                + (m == null || m.isBlank() ? "" : ": " + config.apiKey().redact(m));
        if (cause instanceof IOException) {
          retryOrGiveUp(described, OptionalInt.empty(), Optional.empty());
        } else {
          future.complete(new LookupOutcome.Unavailable(described, OptionalInt.empty()));
        }
        return;
      }
      http.answered(response);
      int status = response.statusCode();
      Optional<String> requestId = WorkOsHttp.requestId(response);
      if (WorkOsHttp.isSuccess(status)) {
        budget.onAccepted();
        future.complete(found(response, requestId));
        return;
      }
      Optional<Duration> retryAfter =
          RetryAfter.parse(response.headers().firstValue("Retry-After"), clock.instant());
      if (status == 429) {
        budget.onThrottled(retryAfter);
      }
      ErrorBody body = ErrorBody.parse(status, redacted(response.body()));
      if (RetryPolicy.isRetryableStatus(status)) {
        retryOrGiveUp(body.message(), OptionalInt.of(status), retryAfter);
      } else if (FinalAnswers.isConfigurationFault(status, body)) {
        future.complete(new LookupOutcome.Misconfigured(status, body.message(), requestId));
      } else {
        future.complete(new LookupOutcome.Refused(status, body.code(), body.message(), requestId));
      }
    }

    LookupOutcome found(HttpResponse<byte[]> response, Optional<String> requestId) {
      try {
        JsonNode n = MAPPER.readTree(response.body());
        JsonNode id = n == null ? null : n.get("id");
        if (id != null && id.isTextual() && !id.textValue().isEmpty()) {
          return new LookupOutcome.Found(id.textValue());
        }
      } catch (IOException notJson) {
        // reported below
      }
      // A success without an organization is not this id's fault: something between us and
      // WorkOS answered; try again later.
      return new LookupOutcome.Unavailable(
          "expected an organization with an \"id\", found another answer (HTTP "
              + response.statusCode()
              + requestId.map(r -> ", request id " + r).orElse("")
              + ")",
          OptionalInt.of(response.statusCode()));
    }

    void retryOrGiveUp(String cause, OptionalInt status, Optional<Duration> retryAfter) {
      if (!retryPolicy.hasAttemptsLeft(attempts)) {
        future.complete(new LookupOutcome.Unavailable(cause, status));
        return;
      }
      pace(retryPolicy.delay(attempts, retryAfter, random));
    }
  }

  private byte[] redacted(byte[] body) {
    if (body == null || body.length == 0) {
      return body;
    }
    return config
        .apiKey()
        .redact(new String(body, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
  }
}
