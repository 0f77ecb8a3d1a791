package io.auditpipe.connect.it;

import static io.auditpipe.connect.it.ConnectClusterSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.connect.TestRules;
import io.auditpipe.connect.WorkOsSinkConnector;
import io.auditpipe.testkit.emulator.Emulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a transform that renames the topic ({@code RegexRouter}, {@code rr\.(.*)} to {@code
 * audit-$1}) must not let offsets be committed past records still in flight. WorkOS answers slowly
 * and two events are in flight at most, so commits happen while most records wait; the committed
 * offsets of the consumer group never pass what the emulator stored. Then the worker is replaced
 * mid-stream: every event is stored exactly once.
 */
class TopicRenamingTransformIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final String CONNECTOR = "renamed";
  private static final String TOPIC = "rr.orders";
  private static final int PARTITIONS = 2;
  private static final int EVENTS = 240;

  private static EmbeddedConnectCluster connect;
  private static Emulator workos;

  @BeforeAll
  static void start() {
    workos = Emulator.start(ConnectClusterSupport.TEST_API_KEY);
    connect = ConnectClusterSupport.startCluster("auditpipe-renamed", 1);
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
  void commitsNeverPassStoredEventsAndAReplacedWorkerLosesNone() throws Exception {
    String org = workos.createOrganization("renamed");
    connect.kafka().createTopic(TOPIC, PARTITIONS);
    workos.slowAnswers(150, 250);
    Map<String, String> props = new HashMap<>();
    props.put("connector.class", WorkOsSinkConnector.class.getName());
    props.put("tasks.max", "1");
    props.put("topics", TOPIC);
    props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("transforms", "route");
    props.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
    props.put("transforms.route.regex", "rr\\.(.*)");
    props.put("transforms.route.replacement", "audit-$1");
    props.put("workos.api.key", ConnectClusterSupport.apiKeyReference());
    props.put("workos.base.url", workos.baseUrl());
    props.put("workos.max.in.flight", "2");
    props.put("auditpipe.rules", TestRules.orders("audit-orders", "skip"));
    connect.configureConnector(CONNECTOR, props);
    connect
        .assertions()
        .assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 1, "the task did not start");

    List<String> violations = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of());
        Admin admin = connect.kafka().createAdminClient()) {
      produce(producer, org, 0, EVENTS);
      // Offsets are committed every second while most records wait for their turn.
      await(
          TIMEOUT,
          "a third of the events stored",
          () -> {
            checkCommits(admin, org, violations);
            return workos.events(org).size() >= EVENTS / 3;
          });

      // Replace the worker mid-stream: the old task stops with events in flight.
      WorkerHandle old = connect.workers().iterator().next();
      connect.addWorker();
      connect.removeWorker(old);
      connect
          .assertions()
          .assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 1, "the task did not move");
      await(
          TIMEOUT,
          EVENTS + " events stored",
          () -> {
            checkCommits(admin, org, violations);
            return workos.events(org).size() >= EVENTS;
          });
    } finally {
      workos.clearFaults();
    }

    assertThat(violations).as("commits past the events stored").isEmpty();
    List<Emulator.Stored> stored = workos.events(org);
    assertThat(stored.stream().map(s -> s.event().actor().id()).collect(Collectors.toSet()))
        .as("every event stored")
        .hasSize(EVENTS);
    assertThat(stored).as("each stored once").hasSize(EVENTS);
    connect.deleteConnector(CONNECTOR);
  }

  /**
   * Records a violation when the group's committed offsets, summed over the partitions, pass the
   * events stored: each record is one event, so a commit at offset n says records 0..n-1 are done.
   */
  private static void checkCommits(Admin admin, String org, List<String> violations) {
    Map<TopicPartition, OffsetAndMetadata> committed;
    try {
      committed =
          admin
              .listConsumerGroupOffsets("connect-" + CONNECTOR)
              .partitionsToOffsetAndMetadata()
              .get();
    } catch (Exception e) {
      return; // the group may be rebalancing; the next poll reads it
    }
    long committedRecords =
        committed.values().stream()
            .filter(o -> o != null)
            .mapToLong(OffsetAndMetadata::offset)
            .sum();
    int stored = workos.events(org).size();
    if (committedRecords > stored) {
      violations.add("committed " + committedRecords + " records with " + stored + " stored");
    }
  }

  private static void produce(
      KafkaProducer<byte[], byte[]> producer, String org, int from, int to) {
    for (int i = from; i < to; i++) {
      String value =
          "{\"type\":\"order.paid\",\"org\":\""
              + org
              + "\",\"event_id\":\"rr-"
              + i
              + "\",\"ts\":\"2024-05-06T07:08:09Z\",\"ip\":\"10.0.0.3\",\"user\":{\"id\":\"u-"
              + i
              + "\"},\"order\":{\"id\":\"o-"
              + i
              + "\",\"total\":1}}";
      var unused =
          producer.send(
              new ProducerRecord<>(
                  TOPIC,
                  ("k" + i).getBytes(StandardCharsets.UTF_8),
                  value.getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }
}
