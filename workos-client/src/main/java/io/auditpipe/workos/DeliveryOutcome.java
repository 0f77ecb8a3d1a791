package io.auditpipe.workos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the delivery of one event ended. Never carries the API key: every text taken from a response
 * or an exception is redacted first.
 */
public sealed interface DeliveryOutcome
    permits DeliveryOutcome.Delivered,
        DeliveryOutcome.Rejected,
        DeliveryOutcome.Exhausted,
        DeliveryOutcome.Misconfigured {

  /** Attempts made, the first included. */
  int attempts();

  /**
   * WorkOS accepted the event (any 2xx, including an idempotent replay of an earlier success).
   *
   * @param status the HTTP status
   * @param requestId WorkOS's {@code X-Request-Id}, when sent
   * @param attempts attempts made
   */
  record Delivered(int status, Optional<String> requestId, int attempts)
      implements DeliveryOutcome {
    public Delivered {
      Objects.requireNonNull(requestId, "requestId");
    }
  }

  /**
   * WorkOS refused the event with an answer that retrying cannot change (a 4xx other than 408 and
   * 429). The event should be dead-lettered with these details.
   *
   * @param status the HTTP status
   * @param code WorkOS's error {@code code}, e.g. {@code invalid_audit_log}, when sent
   * @param message WorkOS's error {@code message}, or a description of the status when the body had
   *     none
   * @param errors the entries of the error body's {@code errors} array, as sent
   * @param requestId WorkOS's {@code X-Request-Id}, when sent
   * @param attempts attempts made
   */
  record Rejected(
      int status,
      Optional<String> code,
      String message,
      List<JsonNode> errors,
      Optional<String> requestId,
      int attempts)
      implements DeliveryOutcome {
    public Rejected {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      errors = List.copyOf(errors);
      Objects.requireNonNull(requestId, "requestId");
    }

    /**
     * The message and, in parentheses, up to five of the {@code errors} as {@code field: message}
     * ({@code instancePath} and {@code code} when WorkOS sent those instead), e.g. {@code Invalid
     * Audit Log event (targets[0].type: Required)}: what a dead letter should say.
     */
    public String summary() {
      if (errors.isEmpty()) {
        return message;
      }
      StringBuilder out = new StringBuilder(message).append(" (");
      int n = 0;
      for (JsonNode error : errors) {
        if (n++ == MAX_SUMMARIZED_ERRORS) {
          out.append("; …");
          break;
        }
        if (n > 1) {
          out.append("; ");
        }
        String where =
            error.hasNonNull("field")
                ? error.get("field").asText()
                : error.path("instancePath").asText("");
        String what =
            error.hasNonNull("message")
                ? error.get("message").asText()
                : error.path("code").asText("");
        out.append(where).append(where.isEmpty() ? "" : ": ").append(what);
      }
      return out.append(')').toString();
    }

    private static final int MAX_SUMMARIZED_ERRORS = 5;
  }

  /**
   * Every attempt failed with a retryable cause, or the attempts or the deadline ran out, or the
   * client was closed. Whether the event was stored is unknown; resending with the same idempotency
   * key is safe.
   *
   * @param lastCause what the last attempt ended with, e.g. {@code HTTP 503: Service Unavailable}
   *     or {@code connection reset}
   * @param exceptionType the class name of the last exception, when the last attempt ended with one
   * @param lastStatus the HTTP status of the last answer, when the last attempt got one
   * @param attempts attempts made
   */
  record Exhausted(
      String lastCause, Optional<String> exceptionType, OptionalInt lastStatus, int attempts)
      implements DeliveryOutcome {
    public Exhausted {
      Objects.requireNonNull(lastCause, "lastCause");
      Objects.requireNonNull(exceptionType, "exceptionType");
      Objects.requireNonNull(lastStatus, "lastStatus");
    }
  }

  /**
   * WorkOS refused the request for a reason of the client's configuration, not of the event: 401 or
   * 403 (the API key), or a 404 that is not WorkOS's "organization not found" answer (the base
   * URL's path leads nowhere). Every other event would get the same answer, so the event is neither
   * stored nor at fault; it should be sent again once the configuration is fixed. See {@link
   * FinalAnswers}.
   *
   * @param status the HTTP status
   * @param message WorkOS's error {@code message}, or a description of the status
   * @param requestId WorkOS's {@code X-Request-Id}, when sent
   * @param attempts attempts made
   */
  record Misconfigured(int status, String message, Optional<String> requestId, int attempts)
      implements DeliveryOutcome {
    public Misconfigured {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(requestId, "requestId");
    }

    /** Whether the API key is at fault (401, 403) rather than the base URL (404). */
    public boolean apiKey() {
      return status == 401 || status == 403;
    }
  }
}
