package io.auditpipe.connect.it;

import static io.auditpipe.connect.it.ConnectClusterSupport.TEST_API_KEY;
import static io.auditpipe.connect.it.ConnectClusterSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.connect.TestRules;
import io.auditpipe.testkit.connect.ConnectRest;
import io.auditpipe.testkit.connect.ConnectWorkerProcess;
import io.auditpipe.testkit.emulator.Emulator;
import io.auditpipe.testkit.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final Path WORKER_LOG =
      Path.of(System.getProperty("java.io.tmpdir"), "it-deployed-worker.log");
  private static final String CONNECTOR_CLASS = "io.auditpipe.connect.WorkOsSinkConnector";

  private static KafkaBroker kafka;
  private static Emulator workos;
  private static ConnectWorkerProcess worker;

  @BeforeAll
  static void start() {
    workos = Emulator.start(TEST_API_KEY);
    kafka = KafkaBroker.start();
    Path pluginPath = Path.of(System.getProperty("auditpipe.plugin.dir"));
    assertThat(pluginPath.resolve("auditpipe-connector-" + version()).resolve("manifest.json"))
        .exists();
    worker =
        ConnectWorkerProcess.start(
            new ConnectWorkerProcess.Settings(
                kafka.bootstrapServers(),
                pluginPath,
                ConnectWorkerProcess.kafkaClasspathOfThisJvm(),
                "auditpipe-deployment-it",
                Map.of("offset.flush.interval.ms", "1000"),
                List.of(),
                WORKER_LOG));
  }

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (workos != null) {
      workos.close();
    }
  }

  private static String version() {
    return io.auditpipe.connect.Version.get();
  }

  private static String get(String path) {
    return worker.rest().get(path).map(ConnectRest.Answer::body).orElse("");
  }

  @Test
  void loadsFromPluginPathAndDelivers() throws Exception {
    String plugins = get("connector-plugins");
    assertThat(plugins).contains(CONNECTOR_CLASS).contains("\"version\":\"" + version() + "\"");

    String topic = "orders-deployed";
    String org = workos.createOrganization("deployed");
    kafka.createTopic(topic, 2);
    ConnectRest.Answer created =
        worker
            .rest()
            .putConnector(
                "deployed",
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
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.body()).doesNotContain(TEST_API_KEY);

    try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
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
        var unused =
            producer.send(
                new ProducerRecord<>(topic, null, value.getBytes(StandardCharsets.UTF_8)));
      }
    }
    await(TIMEOUT, "100 events stored", () -> workos.events(org).size() >= 100);
    assertThat(workos.events(org)).hasSize(100);
    String status = get("connectors/deployed/status");
    assertThat(status).contains("RUNNING").doesNotContain("FAILED");
    String log = Files.readString(worker.log(), StandardCharsets.ISO_8859_1);
    assertThat(log).doesNotContain(TEST_API_KEY);
  }
}
