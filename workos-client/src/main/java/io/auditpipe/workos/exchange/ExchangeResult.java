package io.auditpipe.workos.exchange;

import io.auditpipe.workos.http.ErrorBody;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a call ended. Never carries the API key or a password: every text taken from an answer or an
 * exception is redacted first.
 */
public sealed interface ExchangeResult
    permits ExchangeResult.Success,
        ExchangeResult.Refused,
        ExchangeResult.Misconfigured,
        ExchangeResult.Failed {

  /** Attempts made, the first included. */
  int attempts();

  /** A 2xx answer; {@code body} is empty unless the request asked for it. */
  // A result handed to its caller; never compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  record Success(int status, byte[] body, Optional<String> requestId, int attempts)
      implements ExchangeResult {
    public Success {
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(requestId, "requestId");
    }
  }

  /** An answer that retrying cannot change (a 4xx other than 408 and 429). */
  record Refused(int status, ErrorBody error, Optional<String> requestId, int attempts)
      implements ExchangeResult {
    public Refused {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(requestId, "requestId");
    }
  }

  /**
   * The configuration, not the call, is wrong (the proxy refused its credentials, the server's
   * certificate is not trusted): no call can succeed until it is fixed.
   *
   * @param status the HTTP status, when an answer said so (407)
   * @param reason what is wrong, naming the configuration key to fix
   */
  record Misconfigured(OptionalInt status, String reason, int attempts) implements ExchangeResult {
    public Misconfigured {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Every attempt failed retryably, or attempts or the deadline ran out, or the engine closed.
   * Whether WorkOS acted on the call is unknown.
   *
   * @param cause what the last attempt ended with, e.g. {@code HTTP 503: Service Unavailable}
   * @param exceptionType the class name of the last exception, when the last attempt ended with one
   * @param lastStatus the HTTP status of the last answer, when the last attempt got one
   */
  record Failed(String cause, Optional<String> exceptionType, OptionalInt lastStatus, int attempts)
      implements ExchangeResult {
    public Failed {
      Objects.requireNonNull(cause, "cause");
      Objects.requireNonNull(exceptionType, "exceptionType");
      Objects.requireNonNull(lastStatus, "lastStatus");
    }
  }
}
