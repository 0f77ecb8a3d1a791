package io.auditpipe.workos;

import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.workos.http.ErrorBody;
import io.auditpipe.workos.http.ExchangeDeadlines;
import io.auditpipe.workos.http.WorkOsHttp;
import io.auditpipe.workos.ratelimit.AimdRateLimiter;
import io.auditpipe.workos.ratelimit.RateLimiter;
import io.auditpipe.workos.retry.RetryAfter;
import io.auditpipe.workos.retry.RetryPolicy;
import io.auditpipe.workos.time.ExecutorScheduler;
import io.auditpipe.workos.time.Scheduler;
import io.auditpipe.workos.trail.AuditTrailEncoder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Delivers audit events to WorkOS, one {@code POST} per event, asynchronously. Thread-safe; one
 * instance per API key and task, closed when done.
 *
 * <h2>In-flight bound and back-pressure</h2>
 *
 * At most {@code maxInFlight} events are in progress at once — from {@code send} until their
 * outcome, retries and rate-limit waits included — which bounds memory and connections. Callers
 * choose how to meet a full client:
 *
 * <ul>
 *   <li>{@link #trySend} never blocks: it returns empty when no slot is free, so a Connect task can
 *       pause its partitions and retry on the next {@code put};
 *   <li>{@link #send} waits for a slot at most {@code capacityWait} and then throws {@link
 *       CapacityExceededException}; it never blocks forever;
 *   <li>{@link #availableCapacity()} tells how many events can be taken without waiting.
 * </ul>
 *
 * Slots are released before an outcome's future completes, so a callback may send again at once. Do
 * not call {@link #send} from a callback of this client's futures: it could wait on itself.
 *
 * <h2>Delivery</h2>
 *
 * Each attempt sends the same body and the same {@code Idempotency-Key}, so WorkOS stores the event
 * once however often it is retried. Retries follow {@link RetryPolicy}; pacing follows the {@link
 * RateLimiter} (an {@link AimdRateLimiter} with its part of the key's budget by demand). Backoffs
 * and rate-limit waits are scheduled, never slept. Where the JVM's common pool has fewer than 2
 * threads, an exchange holds a sender thread until its answer (see {@link ExchangeMode}); the
 * in-flight bound bounds those threads. Futures complete normally with a {@link DeliveryOutcome};
 * they never complete exceptionally.
 */
public final class AuditLogClient implements AutoCloseable {

  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final WorkOsClientConfig config;
  private final WorkOsHttp http;
  private final String path;
  private final URI uri;
  private final RetryPolicy retryPolicy;
  private final RateLimiter rateLimiter;
  private final boolean ownsRateLimiter;
  private final DeliveryListener listener;
  private final Clock clock;
  private final Scheduler scheduler;
  private final RandomGenerator random;
  private final ExecutorService ownedExecutor;
  private final ExchangeMode exchangeMode;
  private final ThreadPoolExecutor senders;
  private final Semaphore slots;
  private final Set<Delivery> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ExchangeDeadlines deadlines;

  private AuditLogClient(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    this.random = b.random;
    this.listener = new SafeListener(b.listener);
    this.ownedExecutor = daemonPool();
    this.exchangeMode = b.exchangeMode;
    // One thread per request in flight at most, started on demand (none in ASYNC mode): a
    // blocking send holds its thread until the answer.
    this.senders =
        new ThreadPoolExecutor(
            config.maxInFlight(),
            config.maxInFlight(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemonThreads("auditpipe-workos-send-"));
    senders.allowCoreThreadTimeOut(true);
    this.http =
        WorkOsHttp.of(
            config,
            // BLOCKING: the JDK client's stages run where they are ready (its selector thread or
            // the sender), and the answer wakes the sender: one hand-off per exchange.
            exchangeMode == ExchangeMode.ASYNC ? ownedExecutor : Runnable::run);
    this.scheduler =
        b.scheduler != null
            ? b.scheduler
            : new ExecutorScheduler("auditpipe-workos-timer", ownedExecutor);
    this.path = config.format() == DeliveryFormat.AUDIT_LOGS ? "/audit_logs/events" : "/events";
    this.uri = http.uri(path);
    this.retryPolicy = config.retryPolicy();
    this.ownsRateLimiter = b.rateLimiter == null;
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
    this.slots = new Semaphore(config.maxInFlight());
    this.deadlines = new ExchangeDeadlines(config.requestTimeout(), "auditpipe-workos-deadlines");
  }

  /** A client with the system clock, a timer thread and no listener. */
  public static AuditLogClient create(WorkOsClientConfig config) {
    return builder(config).build();
  }

  /** A builder for a client, to add a listener or substitute time sources in tests. */
  public static Builder builder(WorkOsClientConfig config) {
    return new Builder(config);
  }

  /**
   * Sends an event, waiting at most {@code capacityWait} for an in-flight slot.
   *
   * @param idempotencyKey the key WorkOS deduplicates by; the same on every attempt
   * @return the outcome, eventually; never completes exceptionally
   * @throws CapacityExceededException if no slot became free in time
   * @throws IllegalStateException if the client is closed
   * @throws IllegalArgumentException if the key is blank or not a valid header value
   */
  public CompletableFuture<DeliveryOutcome> send(AuditEvent event, String idempotencyKey) {
    checkArguments(event, idempotencyKey);
    if (!slots.tryAcquire()) {
      boolean acquired;
      try {
        acquired = slots.tryAcquire(config.capacityWait().toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CapacityExceededException(config.maxInFlight(), config.capacityWait(), true);
      }
      if (!acquired) {
        throw new CapacityExceededException(config.maxInFlight(), config.capacityWait(), false);
      }
    }
    return start(event, idempotencyKey);
  }

  /**
   * Sends an event if an in-flight slot is free now; never blocks.
   *
   * @return the outcome's future, or empty when every slot is taken
   * @throws IllegalStateException if the client is closed
   * @throws IllegalArgumentException if the key is blank or not a valid header value
   */
  public Optional<CompletableFuture<DeliveryOutcome>> trySend(
      AuditEvent event, String idempotencyKey) {
    checkArguments(event, idempotencyKey);
    return slots.tryAcquire() ? Optional.of(start(event, idempotencyKey)) : Optional.empty();
  }

  /** How many events can be taken now without waiting. */
  public int availableCapacity() {
    return slots.availablePermits();
  }

  /** How many events are in progress. */
  public int inFlight() {
    return config.maxInFlight() - slots.availablePermits();
  }

  /** The current pace in requests per second ({@code +Infinity} when rate limiting is off). */
  public double currentRatePerSecond() {
    return rateLimiter.ratePerSecond();
  }

  /** The rate limiter pacing this client's requests, for other calls that share its budget. */
  public RateLimiter rateLimiter() {
    return rateLimiter;
  }

  /** The configuration; its {@code toString} masks the key. */
  public WorkOsClientConfig config() {
    return config;
  }

  /**
   * Stops the client: new sends are refused, events still in progress complete with {@link
   * DeliveryOutcome.Exhausted} ("client closed"; resending them with the same key is safe), and the
   * client's threads stop. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Delivery d : pending) {
      d.finish(
          new DeliveryOutcome.Exhausted(
              "client closed before an answer", Optional.empty(), OptionalInt.empty(), d.attempts));
    }
    if (ownsRateLimiter) {
      rateLimiter.close();
    }
    scheduler.close();
    senders.shutdownNow();
    deadlines.close();
    ownedExecutor.shutdownNow();
  }

  @Override
  public String toString() {
    return "AuditLogClient{"
        + config.baseUrl()
        + path
        + ", maxInFlight="
        + config.maxInFlight()
        + "}";
  }

  private void checkArguments(AuditEvent event, String idempotencyKey) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    if (idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
      throw new IllegalArgumentException(
          "idempotencyKey: expected 1 to 255 characters, found " + idempotencyKey.length());
    }
    for (int i = 0; i < idempotencyKey.length(); i++) {
      char c = idempotencyKey.charAt(i);
      if (c < ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            "idempotencyKey: expected printable ASCII, found a control or non-ASCII character at"
                + " index "
                + i);
      }
    }
    if (closed.get()) {
      throw new IllegalStateException("the client is closed");
    }
  }

  private CompletableFuture<DeliveryOutcome> start(AuditEvent event, String idempotencyKey) {
    Delivery d;
    try {
      byte[] body =
          config.format() == DeliveryFormat.AUDIT_LOGS
              ? AuditEventJson.toRequestBody(event)
              : AuditTrailEncoder.toRequestBody(event);
      HttpRequest request =
          http.postJson(uri, body).header(IDEMPOTENCY_KEY, idempotencyKey).build();
      d = new Delivery(request);
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    }
    pending.add(d);
    if (closed.get()) {
      d.finish(
          new DeliveryOutcome.Exhausted("client closed", Optional.empty(), OptionalInt.empty(), 0));
    } else {
      d.pace(Duration.ZERO);
    }
    return d.future;
  }

  /** One event's way through attempts, waits and retries. */
  private final class Delivery {
    final HttpRequest request;
    final CompletableFuture<DeliveryOutcome> future = new CompletableFuture<>();
    final AtomicBoolean done = new AtomicBoolean();
    final long startNanos = System.nanoTime();
    final Instant deadline;
    volatile int attempts;

    Delivery(HttpRequest request) {
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
        // The scheduler refuses work only once the client is closing.
        finish(exhausted("client closed while waiting to retry", null, OptionalInt.empty()));
      }
    }

    void attempt() {
      if (done.get()) {
        return;
      }
      if (closed.get()) {
        finish(exhausted("client closed", null, OptionalInt.empty()));
        return;
      }
      if (clock.instant().isAfter(deadline)) {
        finish(
            exhausted(
                "total deadline of " + config.totalDeadline() + " passed before the next attempt",
                null,
                OptionalInt.empty()));
        return;
      }
      int attempt = ++attempts;
      listener.requestSent(attempt);
      if (exchangeMode == ExchangeMode.ASYNC) {
        long sentNanos = System.nanoTime();
        try {
          deadlines
              .watch(http.client().sendAsync(request, WorkOsHttp.errorBodyOnly()))
              .whenComplete((response, error) -> onAnswer(response, error, sentNanos));
        } catch (RuntimeException e) {
          onAnswer(null, e, sentNanos);
        }
        return;
      }
      try {
        senders.execute(this::exchange);
      } catch (RejectedExecutionException e) {
        finish(exhausted("client closed", null, OptionalInt.empty()));
      }
    }

    /**
     * A blocking exchange, on a sender thread, ended by its deadline if the answer (body included)
     * takes longer than the request timeout.
     */
    void exchange() {
      long sentNanos = System.nanoTime();
      HttpResponse<byte[]> response = null;
      Throwable error = null;
      ExchangeDeadlines.Watch watch = deadlines.watchThisThread();
      try {
        response = http.client().send(request, WorkOsHttp.errorBodyOnly());
      } catch (InterruptedException | IOException | RuntimeException e) {
        error = e;
      }
      boolean expired = watch.end();
      if (error instanceof InterruptedException) {
        if (expired) {
          error = deadlines.timeoutException();
        } else {
          // Not ours: the client is closing; keep the interrupt for the pool.
          Thread.currentThread().interrupt();
        }
      }
      onAnswer(response, error, sentNanos);
    }

    void onAnswer(HttpResponse<byte[]> response, Throwable error, long sentNanos) {
      if (done.get()) {
        return;
      }
      if (error != null) {
        Throwable cause = unwrap(error);
        String description = describe(cause);
        if (cause instanceof IOException) {
          retryOrExhaust(description, cause, OptionalInt.empty(), Optional.empty());
        } else {
          finish(exhausted(description, cause, OptionalInt.empty()));
        }
        return;
      }
      http.answered(response);
      int status = response.statusCode();
      listener.responseReceived(status, Duration.ofNanos(System.nanoTime() - sentNanos));
      Optional<String> requestId = WorkOsHttp.requestId(response);
      if (WorkOsHttp.isSuccess(status)) {
        rateLimiter.onAccepted();
        finish(new DeliveryOutcome.Delivered(status, requestId, attempts));
        return;
      }
      Optional<Duration> retryAfter =
          RetryAfter.parse(response.headers().firstValue("Retry-After"), clock.instant())
              .map(ra -> ra.compareTo(config.retryAfterCap()) > 0 ? config.retryAfterCap() : ra);
      if (status == 429) {
        rateLimiter.onThrottled(retryAfter);
        listener.throttled(retryAfter.orElse(Duration.ZERO), rateLimiter.ratePerSecond());
      }
      ErrorBody body = ErrorBody.parse(status, redactedBody(response.body()));
      if (RetryPolicy.isRetryableStatus(status)) {
        String described = ErrorBody.describe(status);
        retryOrExhaust(
            body.message().startsWith(described)
                ? body.message()
                : described + ": " + body.message(),
            null,
            OptionalInt.of(status),
            retryAfter);
      } else {
        finish(FinalAnswers.outcome(status, body, requestId, attempts));
      }
    }

    void retryOrExhaust(
        String cause, Throwable error, OptionalInt status, Optional<Duration> retryAfter) {
      if (!retryPolicy.hasAttemptsLeft(attempts)) {
        finish(exhausted(cause, error, status));
        return;
      }
      Duration delay = retryPolicy.delay(attempts, retryAfter, random);
      if (clock.instant().plus(delay).isAfter(deadline)) {
        finish(
            exhausted(
                cause + " (the total deadline of " + config.totalDeadline() + " leaves no retry)",
                error,
                status));
        return;
      }
      listener.retryScheduled(attempts + 1, delay, cause);
      pace(delay);
    }

    DeliveryOutcome.Exhausted exhausted(String cause, Throwable error, OptionalInt status) {
      return new DeliveryOutcome.Exhausted(
          cause, Optional.ofNullable(error).map(e -> e.getClass().getName()), status, attempts);
    }

    void finish(DeliveryOutcome outcome) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      pending.remove(this);
      slots.release();
      listener.outcome(outcome, Duration.ofNanos(System.nanoTime() - startNanos));
      future.complete(outcome);
    }
  }

  private byte[] redactedBody(byte[] body) {
    if (body == null || body.length == 0) {
      return body;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    String redacted = config.apiKey().redact(text);
    return redacted.equals(text) ? body : redacted.getBytes(StandardCharsets.UTF_8);
  }

  private String describe(Throwable cause) {
    String message = cause.getMessage();
    String simple = cause.getClass().getSimpleName();
    return message == null || message.isBlank()
        ? simple
        : simple + ": " + config.apiKey().redact(message);
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static ExecutorService daemonPool() {
    ThreadFactory f = daemonThreads("auditpipe-workos-");
    // As many threads as cores: the HTTP client's work is non-blocking, and more threads only add
    // hand-offs (measured: a cached pool cost ~30% more CPU per event than this).
    return Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), f);
  }

  /** Builds an {@link AuditLogClient}. */
  public static final class Builder {
    private final WorkOsClientConfig config;
    private DeliveryListener listener = DeliveryListener.NONE;
    private Clock clock = Clock.systemUTC();
    private Scheduler scheduler;
    private RandomGenerator random = RandomGenerator.getDefault();
    private RateLimiter rateLimiter;
    private ExchangeMode exchangeMode = ExchangeMode.forThisJvm();

    private Builder(WorkOsClientConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Observes deliveries (for metrics). */
    public Builder listener(DeliveryListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The clock deadlines, {@code Retry-After} dates and the rate limiter read. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How backoffs and rate-limit waits are waited out; the client closes it when closed. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The source of backoff jitter. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Replaces the rate limiter the configuration implies (e.g. to share one limiter between
     * clients of one process).
     */
    public Builder rateLimiter(RateLimiter rateLimiter) {
      this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
      return this;
    }

    /** Overrides the exchange mode chosen for this JVM (tests run both). */
    Builder exchangeMode(ExchangeMode exchangeMode) {
      this.exchangeMode = Objects.requireNonNull(exchangeMode, "exchangeMode");
      return this;
    }

    public AuditLogClient build() {
      return new AuditLogClient(this);
    }
  }

  /** Shields the client from a listener that throws. */
  private record SafeListener(DeliveryListener delegate) implements DeliveryListener {
    @Override
    public void requestSent(int attempt) {
      try {
        delegate.requestSent(attempt);
      } catch (RuntimeException ignored) {
        // metrics must never break delivery
      }
    }

    @Override
    public void responseReceived(int status, Duration latency) {
      try {
        delegate.responseReceived(status, latency);
      } catch (RuntimeException ignored) {
        // metrics must never break delivery
      }
    }

    @Override
    public void retryScheduled(int nextAttempt, Duration delay, String cause) {
      try {
        delegate.retryScheduled(nextAttempt, delay, cause);
      } catch (RuntimeException ignored) {
        // metrics must never break delivery
      }
    }

    @Override
    public void throttled(Duration pause, double newRatePerSecond) {
      try {
        delegate.throttled(pause, newRatePerSecond);
      } catch (RuntimeException ignored) {
        // metrics must never break delivery
      }
    }

    @Override
    public void rateLimitWait(Duration wait) {
      try {
        delegate.rateLimitWait(wait);
      } catch (RuntimeException ignored) {
        // metrics must never break delivery
      }
    }

    @Override
    public void outcome(DeliveryOutcome outcome, Duration elapsed) {
      try {
        delegate.outcome(outcome, elapsed);
      } catch (RuntimeException ignored) {
        // metrics must never break delivery
      }
    }
  }
}
