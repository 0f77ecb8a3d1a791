package io.auditpipe.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.cli.UserMessages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;

/**
 * A Kafka Connect worker in distributed mode, as users run Connect, in this JVM: a group of one
 * whose configs, offsets and statuses live in the local broker's topics, loading connectors from
 * {@code plugin.path} exactly as a deployed worker does (isolated class loader, no classpath
 * shortcut), and configured over its own REST API.
 */
final class LocalConnectWorker implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Connect<DistributedHerder> connect;
  private final URI restUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private LocalConnectWorker(Connect<DistributedHerder> connect) {
    this.connect = connect;
    this.restUrl = connect.rest().serverUrl();
  }

  /**
   * Starts a worker against {@code bootstrapServers} whose {@code plugin.path} is {@code
   * pluginPath}.
   */
  static LocalConnectWorker start(
      String bootstrapServers, Path pluginPath, Map<String, String> extra) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", "auditpipe-local");
    // Replication as the broker's default.replication.factor says: 1 on the embedded single node,
    // what its operators chose on a --bootstrap-servers cluster.
    for (String store : List.of("config", "offset", "status")) {
      props.put(store + ".storage.topic", "auditpipe-local-connect-" + store + "s");
      props.put(store + ".storage.replication.factor", "-1");
    }
    props.put("listeners", "http://127.0.0.1:0");
    props.put("plugin.path", pluginPath.toAbsolutePath().toString());
    props.put("plugin.discovery", "service_load");
    props.put("offset.flush.interval.ms", "2000");
    props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("config.providers", "env");
    props.put(
        "config.providers.env.class",
        "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    props.putAll(extra);
    return new LocalConnectWorker(new ConnectDistributed().startConnect(props));
  }

  URI restUrl() {
    return restUrl;
  }

  /** Creates or replaces connector {@code name}; Connect validates the config first. */
  void putConnector(String name, Map<String, String> config) throws IOException {
    ObjectNode body = MAPPER.valueToTree(config);
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(restUrl.resolve("/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body))));
    if (response.statusCode() / 100 != 2) {
      JsonNode answer = MAPPER.readTree(response.body());
      throw new IOException(
          "Connect refused the connector config (HTTP "
              + response.statusCode()
              + "): "
              + refusal(answer.path("message").asText(response.body())));
    }
  }

  /**
   * Connect's refusal, said on one line: a validation failure's message is a heading line, one line
   * per error and a pointer to the validate endpoint; the errors are what the user needs.
   */
  static String refusal(String message) {
    List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    if (lines.size() > 1 && lines.get(0).startsWith("Connector configuration is invalid")) {
      return lines.subList(1, lines.size()).stream()
          .filter(l -> !l.startsWith("You can also find the above list of errors"))
          .map(UserMessages::clean)
          .collect(Collectors.joining("; "));
    }
    return UserMessages.clean(message);
  }

  /**
   * Waits until the connector and all its tasks are RUNNING.
   *
   * @throws IOException saying why when the connector or a task failed or time ran out
   */
  void awaitRunning(String name, Duration timeout) throws IOException {
    Instant until = Instant.now().plus(timeout);
    ConnectorStatus last = ConnectorStatus.UNKNOWN;
    while (Instant.now().isBefore(until)) {
      last = status(name);
      if (last.failed()) {
        throw new IOException(
            "the connector failed to start: " + last.failure().orElse("no reason given"));
      }
      if (last.state().equals("RUNNING")) {
        return;
      }
      pause();
    }
    throw new IOException(
        "the connector is still " + last.state() + " after " + timeout.toSeconds() + " s");
  }

  /** The connector's state now; {@link ConnectorStatus#UNKNOWN} until Connect knows it. */
  ConnectorStatus status(String name) throws IOException {
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(restUrl.resolve("/connectors/" + name + "/status")).GET());
    if (response.statusCode() != 200) {
      return ConnectorStatus.UNKNOWN;
    }
    JsonNode status = MAPPER.readTree(response.body());
    if (status.path("tasks").isEmpty()
        && !status.path("connector").path("state").asText().equals("FAILED")) {
      return ConnectorStatus.UNKNOWN;
    }
    return ConnectorStatus.of(status);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted talking to Connect", e);
    }
  }

  private static void pause() throws IOException {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for Connect", e);
    }
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
