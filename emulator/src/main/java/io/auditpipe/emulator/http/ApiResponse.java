package io.auditpipe.emulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A complete answer, built before anything is written so that it can be stored or withheld. */
// A response on its way out; never compared or hashed.
@SuppressWarnings("ArrayRecordComponent")
public record ApiResponse(
    int status, String contentType, byte[] body, Map<String, String> headers) {

  static final String JSON = "application/json";

  public ApiResponse {
    headers = Map.copyOf(headers);
  }

  public static ApiResponse json(int status, byte[] body) {
    return new ApiResponse(status, JSON, body, Map.of());
  }

  public static ApiResponse json(int status, JsonNode body) {
    try {
      return json(status, Json.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  public static ApiResponse text(int status, String contentType, String body) {
    return new ApiResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public ApiResponse withHeader(String name, String value) {
    Map<String, String> h = new java.util.HashMap<>(headers);
    h.put(name, value);
    return new ApiResponse(status, contentType, body, h);
  }
}
