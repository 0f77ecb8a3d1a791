package io.auditpipe.workos.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A WorkOS API call failed: an error answer (with WorkOS's code, message and errors) or no answer
 * at all (I/O error, timeout; {@link #status()} empty). The message names the call and never
 * contains the API key.
 */
public final class WorkOsApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final OptionalInt status;
  private final Optional<String> code;
  private final transient List<JsonNode> errors;
  private final Optional<String> requestId;

  public WorkOsApiException(
      String call,
      OptionalInt status,
      Optional<String> code,
      String message,
      List<JsonNode> errors,
      Optional<String> requestId,
      Throwable cause) {
    super(
        call
            + " failed: "
            + (status.isPresent() ? "HTTP " + status.getAsInt() + " " : "")
            + code.map(c -> "[" + c + "] ").orElse("")
            + message
            + requestId.map(r -> " (request id " + r + ")").orElse(""),
        cause);
    this.status = status;
    this.code = code;
    this.errors = List.copyOf(errors);
    this.requestId = requestId;
  }

  /** The HTTP status, when WorkOS answered. */
  public OptionalInt status() {
    return status;
  }

  /** WorkOS's error code, when sent. */
  public Optional<String> code() {
    return code;
  }

  /** The entries of the error body's {@code errors} array. */
  public List<JsonNode> errors() {
    return errors;
  }

  /** WorkOS's {@code X-Request-Id}, when sent. */
  public Optional<String> requestId() {
    return requestId;
  }
}
