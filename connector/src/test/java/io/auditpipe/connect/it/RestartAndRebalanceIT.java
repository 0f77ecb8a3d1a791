package io.auditpipe.connect.it;

import static io.auditpipe.connect.it.ConnectClusterSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.connect.TestRules;
import io.auditpipe.connect.WorkOsSinkConnector;
import io.auditpipe.testkit.emulator.Emulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, test 5: the worker stopped mid-stream and a new one started, then a second worker
 * joining a {@code tasks.max=2} connector: no event lost, none stored twice.
 */
class RestartAndRebalanceIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private static EmbeddedConnectCluster connect;
  private static Emulator workos;

  @BeforeAll
  static void start() {
    workos = Emulator.start(ConnectClusterSupport.TEST_API_KEY);
    connect = ConnectClusterSupport.startCluster("auditpipe-rebalance", 1);
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.stop();
    }
    if (workos != null) {
      workos.close();
    }
  }

  @Test
  void restartsAndRebalancesWithoutLossOrDuplicates() throws Exception {
    String topic = "orders-rebalance";
    String org = workos.createOrganization("rebalance");
    connect.kafka().createTopic(topic, 4);
    Map<String, String> props = new HashMap<>();
    props.put("connector.class", WorkOsSinkConnector.class.getName());
    props.put("tasks.max", "2");
    props.put("topics", topic);
    props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("workos.api.key", ConnectClusterSupport.apiKeyReference());
    props.put("workos.base.url", workos.baseUrl());
    // Slow delivery down so that the restart catches events in flight.
    props.put("workos.rate.limit.requests.per.minute", "12000");
    props.put("auditpipe.rules", TestRules.orders(topic, "skip"));
    connect.configureConnector("rebalance", props);
    connect
        .assertions()
        .assertConnectorAndExactlyNumTasksAreRunning("rebalance", 2, "tasks did not start");

    try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
      produce(producer, topic, org, 0, 400);
      await(TIMEOUT, "some events stored", () -> workos.events(org).size() >= 50);

      // Stop the only worker mid-stream and start a fresh one in its place.
      WorkerHandle first = connect.workers().iterator().next();
      WorkerHandle second = connect.addWorker();
      connect.removeWorker(first);
      connect
          .assertions()
          .assertConnectorAndExactlyNumTasksAreRunning("rebalance", 2, "tasks did not move");
      produce(producer, topic, org, 400, 800);

      // A second worker joins: the two tasks spread over both workers.
      connect.addWorker();
      connect.assertions().assertExactlyNumWorkersAreUp(2, "the worker did not join");
      produce(producer, topic, org, 800, 1_200);
      assertThat(second).isNotNull();
    }

    await(TIMEOUT, "1,200 stored events", () -> workos.events(org).size() >= 1_200);
    List<Emulator.Stored> stored = workos.events(org);
    assertThat(stored).hasSize(1_200);
    assertThat(stored.stream().map(s -> s.event().actor().id()).collect(Collectors.toSet()))
        .hasSize(1_200);
    connect
        .assertions()
        .assertConnectorAndExactlyNumTasksAreRunning("rebalance", 2, "tasks are running");
  }

  private static void produce(
      KafkaProducer<byte[], byte[]> producer, String topic, String org, int from, int to) {
    for (int i = from; i < to; i++) {
      String value =
          "{\"type\":\"order.paid\",\"org\":\""
              + org
              + "\",\"event_id\":\"r-"
              + i
              + "\",\"ts\":\"2024-05-06T07:08:09Z\",\"ip\":\"10.0.0.2\",\"user\":{\"id\":\"u-"
              + i
              + "\"},\"order\":{\"id\":\"o-"
              + i
              + "\",\"total\":1}}";
      var unused =
          producer.send(
              new ProducerRecord<>(
                  topic,
                  ("k" + i).getBytes(StandardCharsets.UTF_8),
                  value.getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }
}
