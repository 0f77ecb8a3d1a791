package io.auditpipe.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Stored responses by API key and {@code Idempotency-Key}, kept for 24 hours like WorkOS does.
 * Requests with the same key are processed one at a time, so concurrent retries store one event.
 */
public final class IdempotencyCache {

  /** How long WorkOS keeps an idempotency key. */
  public static final Duration TTL = Duration.ofHours(24);

  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public IdempotencyCache(Clock clock) {
    this.clock = clock;
  }

  /** A stored answer. */
  // Replayed as stored; never compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  public record StoredResponse(int status, byte[] body) {}

  /** What happened to a request carrying a key. */
  public sealed interface Outcome permits Fresh, Replayed, Conflict {}

  /** First use (or the key had expired): the request was processed. */
  public record Fresh(StoredResponse response) implements Outcome {}

  /** The same key and the same body: the stored response. */
  public record Replayed(StoredResponse response) implements Outcome {}

  /** The same key with a different body. */
  public record Conflict() implements Outcome {}

  private record Entry(JsonNode body, StoredResponse response, Instant storedAt) {}

  /**
   * Processes the request through {@code process} unless the key is known. Responses with a 5xx
   * status are not stored, so a retry after a server error is processed again; nor are 422 answers
   * to requests that failed validation before anything was done (an empty body among them), as with
   * Stripe's idempotency keys: a request that was never acted on must not hold its key against the
   * complete request's retry.
   */
  public Outcome apply(String apiKey, String key, JsonNode body, Supplier<StoredResponse> process) {
    Outcome[] outcome = new Outcome[1];
    entries.compute(
        apiKey + '\u0000' + key,
        (k, existing) -> {
          Instant now = clock.instant();
          if (existing != null && now.isBefore(existing.storedAt().plus(TTL))) {
            outcome[0] =
                existing.body().equals(body) ? new Replayed(existing.response()) : new Conflict();
            return existing;
          }
          StoredResponse r = process.get();
          outcome[0] = new Fresh(r);
          return r.status() >= 500 || r.status() == 422 ? null : new Entry(body, r, now);
        });
    return outcome[0];
  }

  public void clear() {
    entries.clear();
  }
}
