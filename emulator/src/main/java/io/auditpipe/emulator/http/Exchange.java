package io.auditpipe.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/** One request as the endpoints see it: method, path, query, headers, body. */
final class Exchange {

  private final Request request;
  private final String path;
  private final String apiKey;
  private List<String> segments;
  private Fields query;
  private byte[] body;
  private JsonNode json;

  Exchange(Request request, String path, String apiKey, byte[] body) {
    this.request = request;
    this.path = path;
    this.apiKey = apiKey;
    this.body = body;
  }

  String method() {
    return request.getMethod();
  }

  /** The path as sent, still percent-encoded. */
  String path() {
    return path;
  }

  /** The path's segments, each percent-decoded on its own (see {@link PathSegments}). */
  List<String> segments() {
    if (segments == null) {
      segments = PathSegments.of(path);
    }
    return segments;
  }

  /** The caller's API key; empty on unauthenticated {@code /_emulator} routes. */
  String apiKey() {
    return apiKey;
  }

  Optional<String> header(String name) {
    return Optional.ofNullable(request.getHeaders().get(name));
  }

  /** {@code scheme://host:port} as the client addressed the emulator. */
  String origin() {
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host == null) {
      host = Request.getServerName(request) + ":" + Request.getServerPort(request);
    }
    return request.getHttpURI().getScheme() + "://" + host;
  }

  private Fields query() {
    if (query == null) {
      query = Request.extractQueryParameters(request);
    }
    return query;
  }

  Optional<String> param(String name) {
    return Optional.ofNullable(query().getValue(name));
  }

  /** Values of a repeated parameter, accepting both {@code name} and {@code name[]}. */
  List<String> params(String name) {
    List<String> values = new java.util.ArrayList<>();
    for (String n : List.of(name, name + "[]")) {
      List<String> v = query().getValues(n);
      if (v != null) {
        values.addAll(v);
      }
    }
    return values;
  }

  byte[] body() {
    return body;
  }

  /** The body as JSON; an empty body reads as an empty object. */
  JsonNode json() {
    if (json != null) {
      return json;
    }
    byte[] b = body();
    if (b.length == 0) {
      json = Json.object();
      return json;
    }
    try {
      json = Json.MAPPER.readTree(b);
      return json;
    } catch (IOException e) {
      throw new ApiException(Json.invalidJson());
    }
  }
}
