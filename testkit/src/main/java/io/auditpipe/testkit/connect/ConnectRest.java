package io.auditpipe.testkit.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The calls the harness makes to a Connect worker's REST API. It deliberately has no restart call:
 * the unattended tests prove that nobody has to make one.
 */
public final class ConnectRest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer of the worker: status and body. */
  public record Answer(int status, String body) {
    public boolean ok() {
      return status / 100 == 2;
    }
  }

  /** A task's state as the worker reports it; {@code trace} only for a failed task. */
  public record TaskStatus(int id, String state, String workerId, Optional<String> trace) {}

  /** {@code GET /connectors/{name}/status}, parsed. */
  public record ConnectorStatus(String state, Map<Integer, TaskStatus> tasks) {
    public ConnectorStatus {
      tasks = Map.copyOf(tasks);
    }

    /** {@code connector=RUNNING task0=RUNNING task1=UNASSIGNED}: tasks in id order. */
    public String summary() {
      StringBuilder s = new StringBuilder("connector=").append(state);
      new TreeMap<>(tasks)
          .values()
          .forEach(t -> s.append(" task").append(t.id()).append('=').append(t.state()));
      return s.toString();
    }
  }

  /** Reads answer at once from the worker's state, or the worker is not answering. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  /**
   * A connector's config PUT is answered once the herder has written it and read it back, which on
   * a loaded machine took 10.2 s (a run failed at the 10 s read timeout though the connector was
   * created); Connect's own REST timeout for it is 90 s. Not retried: a repeat would answer 200.
   */
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(90);

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public ConnectRest(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  /** GET {@code path}; empty when the worker does not answer (down, starting, killed). */
  public Optional<Answer> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), READ_TIMEOUT);
  }

  /** {@code PUT /connectors/{name}/config}: creates or updates the connector. */
  public Answer putConnector(String name, Map<String, String> config) {
    String body;
    try {
      body = JSON.writeValueAsString(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return send(
            HttpRequest.newBuilder(base.resolve("connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)),
            WRITE_TIMEOUT)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the worker at "
                        + base
                        + " did not answer within "
                        + WRITE_TIMEOUT.toSeconds()
                        + " s"));
  }

  /** The connector's status; empty while the worker does not answer or does not know it yet. */
  public Optional<ConnectorStatus> status(String connector) {
    return get("connectors/" + connector + "/status")
        .filter(Answer::ok)
        .map(a -> parseStatus(a.body()));
  }

  static ConnectorStatus parseStatus(String body) {
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("expected a connector status, found: " + body, e);
    }
    Map<Integer, TaskStatus> tasks = new TreeMap<>();
    for (JsonNode t : n.path("tasks")) {
      int id = t.path("id").asInt();
      Optional<String> trace =
          t.hasNonNull("trace") ? Optional.of(t.path("trace").asText()) : Optional.empty();
      tasks.put(
          id, new TaskStatus(id, t.path("state").asText(), t.path("worker_id").asText(), trace));
    }
    return new ConnectorStatus(n.path("connector").path("state").asText(), tasks);
  }

  private Optional<Answer> send(HttpRequest.Builder request, Duration timeout) {
    try {
      HttpResponse<String> r =
          http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
      return Optional.of(new Answer(r.statusCode(), r.body()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted calling the worker at " + base, e);
    }
  }
}
