package io.auditpipe.workos.exchange;

import io.auditpipe.workos.DeliveryListener;
import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.exchange.Classification.Decision;
import io.auditpipe.workos.http.Answer;
import io.auditpipe.workos.http.ErrorBody;
import io.auditpipe.workos.http.WorkOsHttp;
import io.auditpipe.workos.ratelimit.AimdRateLimiter;
import io.auditpipe.workos.ratelimit.RateLimiter;
import io.auditpipe.workos.retry.RetryAfter;
import io.auditpipe.workos.retry.RetryPolicy;
import io.auditpipe.workos.time.ExecutorScheduler;
import io.auditpipe.workos.time.Scheduler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.eclipse.jetty.client.Request;

/**
 * The one exchange engine under every WorkOS call, events and management alike: each call takes a
 * permit of the shared rate budget, is sent, is classified (by {@link Classification}), and is
 * retried with backoff or the server's {@code Retry-After} until it succeeds, is refused, its
 * attempts or total deadline run out, or the engine closes. Waits are scheduled, never slept.
 * Thread-safe; futures never complete exceptionally.
 */
public final class ExchangeEngine implements AutoCloseable {

  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final WorkOsClientConfig config;
  private final WorkOsHttp http;
  private final RetryPolicy retryPolicy;
  private final RateLimiter rateLimiter;
  private final boolean ownsRateLimiter;
  private final DeliveryListener listener;
  private final Clock clock;
  private final Scheduler scheduler;
  private final RandomGenerator random;
  private final Classification classification;
  private final Set<Call> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  private ExchangeEngine(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    this.random = b.random;
    this.listener = SafeListener.of(b.listener);
    this.http = WorkOsHttp.of(config);
    this.classification = new Classification(config, http::clientCertificateUnanswered);
    // Due retries and rate-limit waits only hand a request to the HTTP client, which never
    // blocks: the timer thread runs them itself.
    this.scheduler =
        b.scheduler != null
            ? b.scheduler
            : new ExecutorScheduler("auditpipe-workos-timer", Runnable::run);
    this.retryPolicy = config.retryPolicy();
    this.ownsRateLimiter = b.rateLimiter == null;
    // Every engine of one key and base URL in this JVM takes its part of one budget, by demand.
    this.rateLimiter =
        b.rateLimiter != null
            ? b.rateLimiter
            : config.rateLimited()
                ? AimdRateLimiter.sharing(
                    config.baseUrl().toString(),
                    config.apiKey().reveal(),
                    config.requestsPerMinute() / 60.0 * (1 - config.safetyMargin()),
                    config.shareCount(),
                    clock)
                : RateLimiter.unlimited();
  }

  /** A builder for an engine on {@code config}. */
  public static Builder builder(WorkOsClientConfig config) {
    return new Builder(config);
  }

  /**
   * Runs one call through its attempts. The future completes with the result, never exceptionally;
   * once the engine is closed, with {@link ExchangeResult.Failed}.
   */
  public CompletableFuture<ExchangeResult> exchange(ExchangeRequest request) {
    Call c = new Call(Objects.requireNonNull(request, "request"));
    pending.add(c);
    if (closed.get()) {
      c.finish(
          new ExchangeResult.Failed("client closed", Optional.empty(), OptionalInt.empty(), 0));
    } else {
      c.pace(Duration.ZERO);
    }
    return c.future;
  }

  /** The transport, for URIs and downloads. */
  public WorkOsHttp http() {
    return http;
  }

  /** The listener every call reports to (never throws). */
  public DeliveryListener listener() {
    return listener;
  }

  /** The configuration. */
  public WorkOsClientConfig config() {
    return config;
  }

  /** The clock deadlines are read from. */
  public Clock clock() {
    return clock;
  }

  /**
   * Completes after {@code delay} on the engine's scheduler (for polling without a sleeping loop);
   * exceptionally if the engine is closed.
   */
  public CompletableFuture<Void> after(Duration delay) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    try {
      scheduler.schedule(delay, () -> f.complete(null));
    } catch (RuntimeException e) {
      f.completeExceptionally(e);
    }
    return f;
  }

  /** The current pace in requests per second ({@code +Infinity} when rate limiting is off). */
  public double currentRatePerSecond() {
    return rateLimiter.ratePerSecond();
  }

  /**
   * Stops the engine: calls in progress complete with {@link ExchangeResult.Failed} ("client closed
   * before an answer"), new calls fail at once, and the threads stop. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Call c : pending) {
      c.finish(c.failed("client closed before an answer", null, OptionalInt.empty()));
    }
    if (ownsRateLimiter) {
      rateLimiter.close();
    }
    scheduler.close();
    http.close();
  }

  /** The rate limiter pacing this engine's calls, for other calls that share its budget. */
  public RateLimiter rateLimiter() {
    return rateLimiter;
  }

  /** One call's way through attempts, waits and retries. */
  private final class Call {
    final ExchangeRequest request;
    final CompletableFuture<ExchangeResult> future = new CompletableFuture<>();
    final AtomicBoolean done = new AtomicBoolean();
    final Instant deadline;
    volatile int attempts;

    Call(ExchangeRequest request) {
      this.request = request;
      this.deadline = clock.instant().plus(config.totalDeadline());
    }

    /** After {@code delay}, takes a rate-limit permit, then attempts. */
    void pace(Duration delay) {
      if (delay.isZero()) {
        reserveAndAttempt();
      } else {
        schedule(delay, this::reserveAndAttempt);
      }
    }

    void reserveAndAttempt() {
      if (done.get()) {
        return;
      }
      Duration wait = rateLimiter.reserve();
      if (wait.isZero()) {
        attempt();
      } else {
        listener.rateLimitWait(wait);
        schedule(wait, this::attempt);
      }
    }

    void schedule(Duration delay, Runnable task) {
      try {
        scheduler.schedule(delay, task);
      } catch (RuntimeException e) {
        // The scheduler refuses work only once the engine is closing.
        finish(failed("client closed while waiting to retry", null, OptionalInt.empty()));
      }
    }

    void attempt() {
      if (done.get()) {
        return;
      }
      if (closed.get()) {
        finish(failed("client closed", null, OptionalInt.empty()));
        return;
      }
      if (clock.instant().isAfter(deadline)) {
        finish(
            failed(
                "total deadline of " + config.totalDeadline() + " passed before the next attempt",
                null,
                OptionalInt.empty()));
        return;
      }
      // One attempt at a time writes it, so read-then-write is safe; the volatile is for readers.
      int attempt = attempts + 1;
      attempts = attempt;
      listener.requestSent(attempt);
      long sentNanos = System.nanoTime();
      try {
        Request r = http.request(request.method(), request.uri(), request.json());
        request.idempotencyKey().ifPresent(k -> r.headers(h -> h.put(IDEMPOTENCY_KEY, k)));
        var unused =
            http.send(r, request.successBody())
                .whenComplete((answer, error) -> onEnd(answer, error, sentNanos));
      } catch (RuntimeException e) {
        onEnd(null, e, sentNanos);
      }
    }

    void onEnd(Answer answer, Throwable error, long sentNanos) {
      if (done.get()) {
        return;
      }
      if (error != null) {
        Throwable cause = unwrap(error);
        Decision d = classification.ofFailure(cause, request.retries());
        switch (d.verdict()) {
          case RETRY -> retryOrFail(d.reason(), cause, d.status(), Optional.empty());
          case MISCONFIGURED ->
              finish(new ExchangeResult.Misconfigured(d.status(), d.reason(), attempts));
          default -> finish(failed(d.reason(), cause, d.status()));
        }
        return;
      }
      int status = answer.status();
      listener.responseReceived(status, Duration.ofNanos(System.nanoTime() - sentNanos));
      Decision d = classification.ofAnswer(answer, request.retries());
      if (d.verdict() == Classification.Verdict.SUCCESS) {
        rateLimiter.onAccepted();
        finish(new ExchangeResult.Success(status, answer.body(), answer.requestId(), attempts));
        return;
      }
      Optional<Duration> retryAfter =
          RetryAfter.parse(answer.retryAfter(), clock.instant()).map(retryPolicy::cap);
      if (status == 429) {
        rateLimiter.onThrottled(retryAfter);
        listener.throttled(retryAfter.orElse(Duration.ZERO), rateLimiter.ratePerSecond());
      }
      switch (d.verdict()) {
        case MISCONFIGURED ->
            finish(new ExchangeResult.Misconfigured(d.status(), d.reason(), attempts));
        case RETRY -> {
          ErrorBody body = ErrorBody.parse(status, redacted(answer.body()));
          String described = ErrorBody.describe(status);
          retryOrFail(
              body.message().startsWith(described)
                  ? body.message()
                  : described + ": " + body.message(),
              null,
              d.status(),
              retryAfter);
        }
        default ->
            finish(
                new ExchangeResult.Refused(
                    status,
                    ErrorBody.parse(status, redacted(answer.body())),
                    answer.requestId(),
                    attempts));
      }
    }

    void retryOrFail(
        String cause, Throwable error, OptionalInt status, Optional<Duration> retryAfter) {
      if (!retryPolicy.hasAttemptsLeft(attempts)) {
        finish(failed(cause, error, status));
        return;
      }
      Duration delay = retryPolicy.delay(attempts, retryAfter, random);
      if (clock.instant().plus(delay).isAfter(deadline)) {
        finish(
            failed(
                cause + " (the total deadline of " + config.totalDeadline() + " leaves no retry)",
                error,
                status));
        return;
      }
      listener.retryScheduled(attempts + 1, delay, cause);
      pace(delay);
    }

    ExchangeResult.Failed failed(String cause, Throwable error, OptionalInt status) {
      return new ExchangeResult.Failed(
          cause, Optional.ofNullable(error).map(e -> e.getClass().getName()), status, attempts);
    }

    void finish(ExchangeResult result) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      pending.remove(this);
      future.complete(result);
    }
  }

  private byte[] redacted(byte[] body) {
    if (body == null || body.length == 0) {
      return body;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    String redacted = classification.redact(text);
    return redacted.equals(text) ? body : redacted.getBytes(StandardCharsets.UTF_8);
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** Builds an {@link ExchangeEngine}. */
  public static final class Builder {
    private final WorkOsClientConfig config;
    private DeliveryListener listener = DeliveryListener.NONE;
    private Clock clock = Clock.systemUTC();
    private Scheduler scheduler;
    private RandomGenerator random = RandomGenerator.getDefault();
    private RateLimiter rateLimiter;

    private Builder(WorkOsClientConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Observes every call's requests, answers, retries and waits (for metrics). */
    public Builder listener(DeliveryListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The clock deadlines, {@code Retry-After} dates and the rate limiter read. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How backoffs and rate-limit waits are waited out; the engine closes it when closed. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The source of backoff jitter. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Replaces the rate limiter the configuration implies (e.g. one shared by clients). */
    public Builder rateLimiter(RateLimiter rateLimiter) {
      this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
      return this;
    }

    public ExchangeEngine build() {
      return new ExchangeEngine(this);
    }
  }
}
