package io.auditpipe.workos;

import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.workos.api.WorkOsApiClient;
import io.auditpipe.workos.exchange.ExchangeEngine;
import io.auditpipe.workos.exchange.ExchangeRequest;
import io.auditpipe.workos.exchange.ExchangeResult;
import io.auditpipe.workos.ratelimit.AimdRateLimiter;
import io.auditpipe.workos.ratelimit.RateLimiter;
import io.auditpipe.workos.retry.RetryPolicy;
import io.auditpipe.workos.time.Scheduler;
import io.auditpipe.workos.trail.AuditTrailEncoder;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.eclipse.jetty.http.HttpMethod;

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
 * RateLimiter} (an {@link AimdRateLimiter} at this client's share of the key's budget). Attempts
 * run on the {@link ExchangeEngine} every WorkOS call shares ({@link #api()} gives the management
 * calls on the same engine, so they share the budget). Futures complete normally with a {@link
 * DeliveryOutcome}; they never complete exceptionally.
 */
public final class AuditLogClient implements AutoCloseable {

  private final WorkOsClientConfig config;
  private final ExchangeEngine engine;
  private final String path;
  private final URI uri;
  private final Semaphore slots;
  private final AtomicBoolean closed = new AtomicBoolean();

  private AuditLogClient(Builder b) {
    this.config = b.config;
    this.engine = b.engine.build();
    this.path = config.format() == DeliveryFormat.AUDIT_LOGS ? "/audit_logs/events" : "/events";
    this.uri = engine.http().uri(path);
    this.slots = new Semaphore(config.maxInFlight());
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
    return engine.currentRatePerSecond();
  }

  /**
   * WorkOS's management calls (organization lookups, schemas, exports, retention) on this client's
   * engine: the same budget, retries and listener. Closing it leaves this client open.
   */
  public WorkOsApiClient api() {
    return WorkOsApiClient.on(engine);
  }

  /** The rate limiter pacing this client's requests, for other calls that share its budget. */
  public RateLimiter rateLimiter() {
    return engine.rateLimiter();
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
    if (closed.compareAndSet(false, true)) {
      engine.close();
    }
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
    long startNanos = System.nanoTime();
    CompletableFuture<ExchangeResult> result;
    try {
      byte[] body =
          config.format() == DeliveryFormat.AUDIT_LOGS
              ? AuditEventJson.toRequestBody(event)
              : AuditTrailEncoder.toRequestBody(event);
      result =
          engine.exchange(
              new ExchangeRequest(
                  HttpMethod.POST,
                  uri,
                  Optional.of(body),
                  Optional.of(idempotencyKey),
                  ExchangeRequest.Retries.ALL,
                  false));
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    }
    CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<>();
    var unused =
        result.thenAccept(
            r -> {
              DeliveryOutcome o = outcome(r);
              // The slot is free before the future completes, so a callback may send again at once.
              slots.release();
              engine.listener().outcome(o, Duration.ofNanos(System.nanoTime() - startNanos));
              outcome.complete(o);
            });
    return outcome;
  }

  /** An event's outcome from its call's result. */
  private static DeliveryOutcome outcome(ExchangeResult r) {
    if (r instanceof ExchangeResult.Success s) {
      return new DeliveryOutcome.Delivered(s.status(), s.requestId(), s.attempts());
    }
    if (r instanceof ExchangeResult.Refused f) {
      return FinalAnswers.outcome(f.status(), f.error(), f.requestId(), f.attempts());
    }
    if (r instanceof ExchangeResult.Misconfigured m) {
      // The proxy or TLS settings, not WorkOS (status 0: no answer of WorkOS's): not the event's
      // fault, so never dead-lettered; the reason names the key to fix.
      return new DeliveryOutcome.Misconfigured(0, m.reason(), Optional.empty(), m.attempts());
    }
    ExchangeResult.Failed f = (ExchangeResult.Failed) r;
    return new DeliveryOutcome.Exhausted(
        f.cause(), f.exceptionType(), f.lastStatus(), f.attempts());
  }

  /** Builds an {@link AuditLogClient}. */
  public static final class Builder {
    private final WorkOsClientConfig config;
    // Every setting is the engine's: the client adds only the events route and its slots.
    private final ExchangeEngine.Builder engine;

    private Builder(WorkOsClientConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      this.engine = ExchangeEngine.builder(config);
    }

    /** Observes deliveries (for metrics). */
    public Builder listener(DeliveryListener listener) {
      engine.listener(listener);
      return this;
    }

    /** The clock deadlines, {@code Retry-After} dates and the rate limiter read. */
    public Builder clock(Clock clock) {
      engine.clock(clock);
      return this;
    }

    /** How backoffs and rate-limit waits are waited out; the client closes it when closed. */
    public Builder scheduler(Scheduler scheduler) {
      engine.scheduler(scheduler);
      return this;
    }

    /** The source of backoff jitter. */
    public Builder random(RandomGenerator random) {
      engine.random(random);
      return this;
    }

    /**
     * Replaces the rate limiter the configuration implies (e.g. to share one limiter between
     * clients of one process).
     */
    public Builder rateLimiter(RateLimiter rateLimiter) {
      engine.rateLimiter(rateLimiter);
      return this;
    }

    public AuditLogClient build() {
      return new AuditLogClient(this);
    }
  }
}
