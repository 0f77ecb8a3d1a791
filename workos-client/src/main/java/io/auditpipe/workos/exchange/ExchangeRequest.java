package io.auditpipe.workos.exchange;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpMethod;

/**
 * One call to WorkOS, however many attempts it takes.
 *
 * @param method the HTTP method
 * @param uri the absolute URI
 * @param json the JSON body, sent as is on every attempt
 * @param idempotencyKey the {@code Idempotency-Key}, the same on every attempt
 * @param retries which failures are retried
 * @param successBody whether the body of a 2xx answer is needed (events ignore it)
 */
public record ExchangeRequest(
    HttpMethod method,
    URI uri,
    Optional<byte[]> json,
    Optional<String> idempotencyKey,
    Retries retries,
    boolean successBody) {

  public ExchangeRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(retries, "retries");
  }

  /** Which failures a call may retry. */
  public enum Retries {
    /**
     * Every retryable status and I/O failure: reads, idempotent writes and events (whose
     * idempotency key makes a repeat harmless).
     */
    ALL,
    /**
     * Only 429, which WorkOS answers before doing anything: creating calls without a key, which a
     * repeat after an unknown outcome could do twice.
     */
    THROTTLED_ONLY
  }
}
