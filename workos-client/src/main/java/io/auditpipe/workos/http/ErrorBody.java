package io.auditpipe.workos.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A WorkOS error answer: {@code {"message":…,"code":…,"errors":[…]}}, every part optional. Bodies
 * that are not JSON (a proxy's HTML page) keep a short plain-text excerpt as the message.
 *
 * @param code the {@code code} field, e.g. {@code invalid_audit_log}
 * @param message the {@code message} field, or a description of the status when absent
 * @param errors the entries of {@code errors}, as sent
 */
public record ErrorBody(Optional<String> code, String message, List<JsonNode> errors) {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int EXCERPT = 200;

  public ErrorBody {
    errors = List.copyOf(errors);
  }

  /** Parses an error answer's body; never fails. */
  public static ErrorBody parse(int status, byte[] body) {
    if (body != null && body.length > 0) {
      try {
        JsonNode n = MAPPER.readTree(body);
        if (n != null && n.isObject()) {
          Optional<String> code = text(n.get("code"));
          String message =
              text(n.get("message"))
                  .or(() -> text(n.get("error_description")))
                  .or(() -> text(n.get("error")))
                  .orElse(describe(status));
          List<JsonNode> errors = new ArrayList<>();
          JsonNode e = n.get("errors");
          if (e != null && e.isArray()) {
            e.forEach(errors::add);
          }
          return new ErrorBody(code, message, errors);
        }
      } catch (IOException notJson) {
        // fall through to the excerpt
      }
      String text = new String(body, StandardCharsets.UTF_8).strip();
      if (!text.isEmpty()) {
        String excerpt = text.length() > EXCERPT ? text.substring(0, EXCERPT) + "…" : text;
        return new ErrorBody(Optional.empty(), describe(status) + ": " + excerpt, List.of());
      }
    }
    return new ErrorBody(Optional.empty(), describe(status), List.of());
  }

  /** {@code HTTP 503} and a reason phrase when the status is a common one. */
  public static String describe(int status) {
    String reason =
        switch (status) {
          case 400 -> "Bad Request";
          case 401 -> "Unauthorized";
          case 403 -> "Forbidden";
          case 404 -> "Not Found";
          case 408 -> "Request Timeout";
          case 409 -> "Conflict";
          case 422 -> "Unprocessable Entity";
          case 429 -> "Too Many Requests";
          case 500 -> "Internal Server Error";
          case 502 -> "Bad Gateway";
          case 503 -> "Service Unavailable";
          case 504 -> "Gateway Timeout";
          default -> "";
        };
    return reason.isEmpty() ? "HTTP " + status : "HTTP " + status + " " + reason;
  }

  private static Optional<String> text(JsonNode n) {
    return n != null && n.isTextual() ? Optional.of(n.textValue()) : Optional.empty();
  }
}
