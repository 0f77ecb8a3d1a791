package io.auditpipe.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A raw JDK HTTP client for the emulator, as any WorkOS client would speak to it. */
final class Http {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String ORG = WorkOsEmulator.DEFAULT_ORGANIZATION_ID;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String key;

  Http(URI base, String key) {
    this.base = base;
    this.key = key;
  }

  static String event(String org, String action) {
    return "{\"organization_id\":\""
        + org
        + "\",\"event\":{\"action\":\""
        + action
        + "\",\"occurred_at\":\"2026-09-02T16:35:39.317Z\","
        + "\"actor\":{\"id\":\"user_1\",\"type\":\"user\",\"name\":\"Jon\",\"metadata\":{\"role\":\"admin\"}},"
        + "\"targets\":[{\"id\":\"team_1\",\"type\":\"team\",\"name\":\"Core\"}],"
        + "\"context\":{\"location\":\"1.1.1.1\",\"user_agent\":\"Chrome/104\"},"
        + "\"metadata\":{\"plan\":\"enterprise\"}}}";
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json");
  }

  HttpResponse<String> send(HttpRequest r) throws IOException {
    try {
      return client.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  HttpResponse<String> post(String path, String body) throws IOException {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> post(String path, String body, String idempotencyKey) throws IOException {
    return send(
        request(path)
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  HttpResponse<String> put(String path, String body) throws IOException {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> get(String path) throws IOException {
    return send(request(path).GET().build());
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
