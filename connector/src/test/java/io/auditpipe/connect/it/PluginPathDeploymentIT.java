package io.auditpipe.connect.it;

import static io.auditpipe.connect.it.ConnectClusterSupport.TEST_API_KEY;
import static io.auditpipe.connect.it.ConnectClusterSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.connect.TestRules;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, test 2: deployment as users do it. A Connect worker in its own JVM ({@code
 * ConnectDistributed} on Kafka's runtime classpath, without the connector) loads the unpacked
 * plugin archive from {@code plugin.path} and is configured over its REST API with the key given
 * through a ConfigProvider.
 */
class PluginPathDeploymentIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String CONNECTOR_CLASS = "io.auditpipe.connect.WorkOsSinkConnector";

  private static EmbeddedKafkaCluster kafka;
  private static Emulator workos;
  private static Process worker;
  private static URI rest;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    workos = Emulator.start();
    kafka = new EmbeddedKafkaCluster(1, new java.util.Properties());
    kafka.start();
    Path pluginPath = Path.of(System.getProperty("auditpipe.plugin.dir"));
    assertThat(pluginPath.resolve("auditpipe-connector-" + version()).resolve("manifest.json"))
        .exists();
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    rest = URI.create("http://127.0.0.1:" + port + "/");
    Path dir = Files.createTempDirectory("auditpipe-worker");
    Path props = dir.resolve("worker.properties");
    Files.writeString(
        props,
        String.join(
            "\n",
            "bootstrap.servers=" + kafka.bootstrapServers(),
            "group.id=auditpipe-deployment-it",
            "listeners=http://127.0.0.1:" + port,
            "config.storage.topic=deploy-configs",
            "offset.storage.topic=deploy-offsets",
            "status.storage.topic=deploy-status",
            "config.storage.replication.factor=1",
            "offset.storage.replication.factor=1",
            "status.storage.replication.factor=1",
            "offset.flush.interval.ms=1000",
            "key.converter=org.apache.kafka.connect.storage.StringConverter",
            "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
            "plugin.path=" + pluginPath.toAbsolutePath(),
            "plugin.discovery=service_load",
            "config.providers=file",
            "config.providers.file.class="
                + "org.apache.kafka.common.config.provider.FileConfigProvider",
            ""),
        StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(workerClasspath());
    command.add("org.apache.kafka.connect.cli.ConnectDistributed");
    command.add(props.toString());
    File log = new File(System.getProperty("java.io.tmpdir"), "it-deployed-worker.log");
    worker =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log))
            .start();
    await(TIMEOUT, "the worker's REST API", () -> get("connectors").statusCode() == 200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.destroy();
      if (!worker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        worker.destroyForcibly();
      }
    }
    if (kafka != null) {
      kafka.stop();
    }
    if (workos != null) {
      workos.close();
    }
  }

  /** The test JVM's classpath without the connector or any auditpipe module. */
  private static String workerClasspath() {
    String cp = System.getProperty("java.class.path");
    return Arrays.stream(cp.split(File.pathSeparator))
        .filter(e -> !e.contains("auditpipe"))
        .filter(e -> !e.endsWith("classes") && !e.endsWith("classes" + File.separator))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static String version() {
    return io.auditpipe.connect.Version.get();
  }

  private static HttpResponse<String> get(String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new FailedResponse();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void loadsFromPluginPathAndDelivers() throws Exception {
    String plugins = get("connector-plugins").body();
    assertThat(plugins).contains(CONNECTOR_CLASS).contains("\"version\":\"" + version() + "\"");

    String topic = "orders-deployed";
    String org = workos.createOrganization("deployed");
    kafka.createTopic(topic, 2);
    String config =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .writeValueAsString(
                Map.of(
                    "connector.class",
                    CONNECTOR_CLASS,
                    "tasks.max",
                    "2",
                    "topics",
                    topic,
                    "workos.api.key",
                    ConnectClusterSupport.apiKeyReference(),
                    "workos.base.url",
                    workos.baseUrl(),
                    "auditpipe.rules",
                    TestRules.orders(topic, "skip")));
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(rest.resolve("connectors/deployed/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(config))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.body()).doesNotContain(TEST_API_KEY);

    try (KafkaProducer<byte[], byte[]> producer = kafka.createProducer(Map.of())) {
      for (int i = 0; i < 100; i++) {
        String value =
            "{\"type\":\"order.paid\",\"org\":\""
                + org
                + "\",\"event_id\":\"d-"
                + i
                + "\",\"ts\":\"2024-05-06T07:08:09Z\",\"ip\":\"10.0.0.3\",\"user\":{\"id\":\"u-"
                + i
                + "\"},\"order\":{\"id\":\"o-"
                + i
                + "\",\"total\":1}}";
        producer.send(new ProducerRecord<>(topic, null, value.getBytes(StandardCharsets.UTF_8)));
      }
    }
    await(TIMEOUT, "100 events stored", () -> workos.events(org).size() >= 100);
    assertThat(workos.events(org)).hasSize(100);
    String status = get("connectors/deployed/status").body();
    assertThat(status).contains("RUNNING").doesNotContain("FAILED");
    String log =
        Files.readString(
            Path.of(System.getProperty("java.io.tmpdir"), "it-deployed-worker.log"),
            StandardCharsets.ISO_8859_1);
    assertThat(log).doesNotContain(TEST_API_KEY);
  }

  /** A response for a connection that failed: the worker is not up yet. */
  private static final class FailedResponse implements HttpResponse<String> {
    @Override
    public int statusCode() {
      return -1;
    }

    @Override
    public HttpRequest request() {
      return null;
    }

    @Override
    public java.util.Optional<HttpResponse<String>> previousResponse() {
      return java.util.Optional.empty();
    }

    @Override
    public java.net.http.HttpHeaders headers() {
      return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
    }

    @Override
    public String body() {
      return "";
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
      return java.util.Optional.empty();
    }

    @Override
    public URI uri() {
      return rest;
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
