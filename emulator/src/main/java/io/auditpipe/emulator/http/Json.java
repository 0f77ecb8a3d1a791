package io.auditpipe.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.core.model.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The one shared {@link ObjectMapper} and WorkOS's error bodies. */
public final class Json {

  public static final ObjectMapper MAPPER = new ObjectMapper();

  static final byte[] SUCCESS = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ApiResponse message(int status, String message) {
    ObjectNode n = object();
    n.put("message", message);
    return ApiResponse.json(status, n);
  }

  static ApiResponse error(int status, String code, String message) {
    ObjectNode n = object();
    n.put("message", message);
    n.put("code", code);
    return ApiResponse.json(status, n);
  }

  static ApiResponse unauthorized() {
    return message(401, "Unauthorized");
  }

  static ApiResponse notFound(String message) {
    return message(404, message);
  }

  static ApiResponse organizationNotFound(String id) {
    return message(404, "Organization not found: '" + id + "'.");
  }

  static ApiResponse tooManyRequests(long retryAfterSeconds) {
    return error(429, "rate_limit_exceeded", "Too many requests.")
        .withHeader("Retry-After", Long.toString(retryAfterSeconds));
  }

  /** 422 {@code {"message":"Validation failed.","errors":[{"code":…,"field":…}]}}. */
  static ApiResponse validationFailed(List<Violation> violations) {
    ObjectNode n = object();
    n.put("message", "Validation failed.");
    ArrayNode errors = n.putArray("errors");
    for (Violation v : violations) {
      errors.addObject().put("code", v.code()).put("field", v.field());
    }
    return ApiResponse.json(422, n);
  }

  static ApiResponse invalidJson() {
    return error(400, "invalid_request", "Request body is not valid JSON.");
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || !v.isTextual() ? null : v.asText();
  }
}
