package io.auditpipe.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Stored responses by API key and {@code Idempotency-Key}, kept for 24 hours like WorkOS does.
 * Requests with the same key are processed one at a time, so concurrent retries store one event.
 * Every conflict is kept (the most recent {@value #CONFLICTS_KEPT}) with what tells the two
 * requests apart, so that a conflict nobody expected can be diagnosed after the fact.
 */
public final class IdempotencyCache {

  /** How long WorkOS keeps an idempotency key. */
  public static final Duration TTL = Duration.ofHours(24);

  /** How many conflicts {@link #conflicts()} keeps. */
  public static final int CONFLICTS_KEPT = 100;

  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Deque<ConflictReport> conflicts = new ArrayDeque<>();

  public IdempotencyCache(Clock clock) {
    this.clock = clock;
  }

  /** A stored answer. */
  // Replayed as stored; never compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  public record StoredResponse(int status, byte[] body) {}

  /**
   * One request as the cache compares it: the parsed body, and the raw bytes and request id that
   * only a conflict report uses (the bytes are the array the stored event keeps: no copy).
   */
  // Compared through json, never by record equality; raw is only hashed for a conflict report.
  @SuppressWarnings("ArrayRecordComponent")
  public record Request(String requestId, byte[] raw, JsonNode json) {}

  /** What happened to a request carrying a key. */
  public sealed interface Outcome permits Fresh, Replayed, Conflict {}

  /** First use (or the key had expired): the request was processed. */
  public record Fresh(StoredResponse response) implements Outcome {}

  /** The same key and the same body: the stored response. */
  public record Replayed(StoredResponse response) implements Outcome {}

  /** The same key with a different body. */
  public record Conflict(ConflictReport report) implements Outcome {}

  /**
   * Why a request conflicted: the request whose answer the key holds and this one, by request id,
   * body length and SHA-256 of the body as received (never the content), and where the bodies first
   * differ.
   *
   * @param firstDifference the index of the first differing byte, or the shorter length when one
   *     body is a prefix of the other; -1 when the bytes are identical (they parsed differently)
   */
  public record ConflictReport(
      Instant at,
      String idempotencyKey,
      String storedRequestId,
      Instant storedAt,
      int storedStatus,
      int storedLength,
      String storedSha256,
      String requestId,
      int length,
      String sha256,
      int firstDifference) {

    /** One line for logs and for the 409's message. */
    public String describe() {
      return "the key was first used by request "
          + storedRequestId
          + " at "
          + storedAt
          + " (answered "
          + storedStatus
          + ", body "
          + storedLength
          + " bytes, sha256 "
          + storedSha256
          + "); request "
          + requestId
          + " sent "
          + length
          + " bytes, sha256 "
          + sha256
          + (firstDifference < 0
              ? ", the same bytes"
              : ", first differing at byte " + firstDifference);
    }
  }

  private record Entry(Request request, StoredResponse response, Instant storedAt) {}

  /**
   * Processes the request through {@code process} unless the key is known. Responses with a 5xx
   * status are not stored, so a retry after a server error is processed again; nor are 422 answers
   * to requests that failed validation before anything was done (an empty body among them), as with
   * Stripe's idempotency keys: a request that was never acted on must not hold its key against the
   * complete request's retry. Bodies are compared as parsed JSON, as WorkOS compares request
   * parameters: member order and whitespace do not matter.
   */
  public Outcome apply(
      String apiKey, String key, Request request, Supplier<StoredResponse> process) {
    Outcome[] outcome = new Outcome[1];
    entries.compute(
        apiKey + '\u0000' + key,
        (k, existing) -> {
          Instant now = clock.instant();
          if (existing != null && now.isBefore(existing.storedAt().plus(TTL))) {
            outcome[0] =
                existing.request().json().equals(request.json())
                    ? new Replayed(existing.response())
                    : new Conflict(report(now, key, existing, request));
            return existing;
          }
          StoredResponse r = process.get();
          outcome[0] = new Fresh(r);
          return r.status() >= 500 || r.status() == 422 ? null : new Entry(request, r, now);
        });
    if (outcome[0] instanceof Conflict c) {
      synchronized (conflicts) {
        if (conflicts.size() == CONFLICTS_KEPT) {
          conflicts.removeFirst();
        }
        conflicts.addLast(c.report());
      }
    }
    return outcome[0];
  }

  /** The most recent conflicts, oldest first. */
  public List<ConflictReport> conflicts() {
    synchronized (conflicts) {
      return new ArrayList<>(conflicts);
    }
  }

  public void clear() {
    entries.clear();
    synchronized (conflicts) {
      conflicts.clear();
    }
  }

  private static ConflictReport report(Instant now, String key, Entry stored, Request incoming) {
    byte[] a = stored.request().raw();
    byte[] b = incoming.raw();
    int diff = Arrays.mismatch(a, b);
    return new ConflictReport(
        now,
        key,
        stored.request().requestId(),
        stored.storedAt(),
        stored.response().status(),
        a.length,
        sha256(a),
        incoming.requestId(),
        b.length,
        sha256(b),
        diff);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
