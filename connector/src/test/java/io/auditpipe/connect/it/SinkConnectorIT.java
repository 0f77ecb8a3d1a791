package io.auditpipe.connect.it;

import static io.auditpipe.connect.it.ConnectClusterSupport.TEST_API_KEY;
import static io.auditpipe.connect.it.ConnectClusterSupport.await;
import static io.auditpipe.connect.it.ConnectClusterSupport.pluginMetric;
import static io.auditpipe.connect.it.ConnectClusterSupport.progress;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.connect.TestRules;
import io.auditpipe.connect.WorkOsSinkConnector;
import io.auditpipe.core.avro.AuditEventAvroCodec;
import io.auditpipe.core.avro.RecordCoordinates;
import io.auditpipe.core.deadletter.DeadLetterHeaders;
import io.auditpipe.core.model.Actor;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.Context;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.testkit.emulator.Emulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connector in a real Connect worker against a real broker, with the emulator as WorkOS (issue
 * 5, tests 1, 3, 4, 7 and 8). One cluster and one emulator serve every test; each test uses its own
 * topics, connector and organization.
 */
class SinkConnectorIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private static EmbeddedConnectCluster connect;
  private static Emulator workos;
  private static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void start() {
    workos = Emulator.start(TEST_API_KEY);
    connect = ConnectClusterSupport.sharedCluster();
    producer = connect.kafka().createProducer(Map.of());
  }

  @AfterAll
  static void stop() {
    if (producer != null) {
      producer.close();
    }
    if (workos != null) {
      workos.close();
    }
  }

  @AfterEach
  void noFaults() {
    workos.clearFaults();
  }

  private static Map<String, String> connectorConfig(String topic, String rules) {
    Map<String, String> props = new HashMap<>();
    props.put("connector.class", WorkOsSinkConnector.class.getName());
    props.put("tasks.max", "1");
    props.put("topics", topic);
    props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("workos.api.key", ConnectClusterSupport.apiKeyReference());
    props.put("workos.base.url", workos.baseUrl());
    props.put("workos.rate.limit.requests.per.minute", "0");
    props.put("workos.retry.backoff.ms", "20");
    props.put("workos.retry.backoff.max.ms", "200");
    props.put("workos.retry.max.attempts", "10");
    if (rules != null) {
      props.put("auditpipe.rules", rules);
    }
    props.put("errors.tolerance", "all");
    props.put("errors.deadletterqueue.topic.name", topic + ".dlq");
    props.put("errors.deadletterqueue.topic.replication.factor", "1");
    props.put("errors.deadletterqueue.context.headers.enable", "true");
    return props;
  }

  private static String order(String org, String eventId, String user, String order, int total) {
    return "{\"type\":\"order.paid\",\"org\":\""
        + org
        + "\",\"event_id\":\""
        + eventId
        + "\",\"ts\":\"2024-05-06T07:08:09.123Z\",\"ip\":\"10.0.0.1\",\"user\":{\"id\":\""
        + user
        + "\"},\"order\":{\"id\":\""
        + order
        + "\",\"total\":"
        + total
        + "}}";
  }

  private static void send(String topic, Integer partition, String key, byte[] value) {
    var unused =
        producer.send(
            new ProducerRecord<>(
                topic,
                partition,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<TopicPartition, Long> committedOffsets(String connector) throws Exception {
    try (Admin admin = connect.kafka().createAdminClient()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets("connect-" + connector)
              .partitionsToOffsetAndMetadata()
              .get();
      return offsets.entrySet().stream()
          .filter(e -> e.getValue() != null)
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Test 1: 1,000 domain events over 3 partitions become exactly 1,000 stored events. */
  @Test
  void deliversEveryDomainEventExactlyOnceAndCommitsOffsets() throws Exception {
    String topic = "orders-bulk";
    String org = workos.createOrganization("bulk");
    connect.kafka().createTopic(topic, 3);
    Map<String, String> props = connectorConfig(topic, TestRules.orders(topic, "skip"));
    // Schemaless JSON through Connect's JsonConverter: the task sees maps, not bytes.
    props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    props.put("value.converter.schemas.enable", "false");
    connect.configureConnector("bulk", props);
    for (int i = 0; i < 1_000; i++) {
      send(topic, i % 3, "k" + i, utf8(order(org, "evt-" + i, "user-" + i, "order-" + i, i)));
    }
    producer.flush();

    await(
        TIMEOUT,
        "1,000 stored events",
        () -> workos.events(org).size() >= 1_000,
        () -> workos.events(org).size() + " stored; " + progress(connect, "bulk"));
    await(
        TIMEOUT,
        "offsets committed to the end of every partition",
        () -> {
          try {
            Map<TopicPartition, Long> committed = committedOffsets("bulk");
            long sum = committed.values().stream().mapToLong(Long::longValue).sum();
            return committed.size() == 3 && sum == 1_000;
          } catch (Exception e) {
            return false;
          }
        },
        () -> progress(connect, "bulk"));
    List<Emulator.Stored> stored = workos.events(org);
    assertThat(stored).hasSize(1_000);
    assertThat(stored.stream().map(Emulator.Stored::idempotencyKey).distinct()).hasSize(1_000);
    Emulator.Stored one =
        stored.stream()
            .filter(s -> s.event().actor().id().equals("user-42"))
            .findFirst()
            .orElseThrow();
    AuditEvent event = one.event();
    assertThat(event.action()).isEqualTo("order.paid");
    assertThat(event.occurredAt()).isEqualTo(Instant.parse("2024-05-06T07:08:09.123Z"));
    assertThat(event.actor().type()).isEqualTo("user");
    assertThat(event.targets())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.id()).isEqualTo("order-42");
              assertThat(t.type()).isEqualTo("order");
            });
    assertThat(event.context().location()).isEqualTo("10.0.0.1");
    assertThat(event.metadata().values().get("total").raw()).isEqualTo(42L);
    // Every offset is committed, so every outcome is counted: the worker's JMX agrees.
    assertThat(pluginMetric("bulk", 0, "records-mapped-total")).isEqualTo(1_000);
    assertThat(pluginMetric("bulk", 0, "events-delivered-total")).isEqualTo(stored.size());
    assertThat(pluginMetric("bulk", 0, "records-dead-lettered-total")).isZero();
    assertThat(pluginMetric("bulk", 0, "buffer-records")).isZero();
    connect.deleteConnector("bulk");
  }

  /**
   * Test 3: each kind of failure is dead-lettered with its original bytes and the auditpipe
   * headers; every other record is delivered and the task keeps running. Also test 8 for DLQ
   * headers.
   */
  @Test
  void deadLettersEachFailureWithItsOriginalBytesAndReasons() throws Exception {
    String topic = "orders-mixed";
    String org = workos.createOrganization("mixed");
    String schemaAction = "order.refunded";
    workos.requireMetadataString(schemaAction, "reason");
    connect.kafka().createTopic(topic, 1);
    String rules =
        """
        {"version": 1, "unmatched": "dlq", "rules": [
          {"name": "order-paid", "topics": ["%1$s"],
           "when": {"path": "/type", "equals": "order.paid"},
           "organization_id": {"path": "/org"}, "action": "order.paid",
           "occurred_at": {"path": "/ts", "timestamp": "iso8601"},
           "actor": {"id": {"path": "/user/id"}, "type": "user"},
           "targets": [{"id": {"path": "/order/id"}, "type": "order"}],
           "context": {"location": {"path": "/ip"}},
           "idempotency_key": {"path": "/event_id"}},
          {"name": "order-refunded", "topics": ["%1$s"],
           "when": {"path": "/type", "equals": "order.refunded"},
           "organization_id": {"path": "/org"}, "action": "%2$s",
           "actor": {"id": {"path": "/user/id"}, "type": "user"},
           "targets": [{"id": {"path": "/order/id"}, "type": "order"}],
           "context": {"location": {"path": "/ip"}},
           "metadata": {"reason": {"path": "/reason"}}}
        ]}
        """
            .formatted(topic, schemaAction);
    Map<String, String> props = connectorConfig(topic, rules);
    props.put("auditpipe.behavior.on.null.values", "dlq");
    connect.configureConnector("mixed", props);

    Map<String, byte[]> bad = new LinkedHashMap<>();
    bad.put("malformed", utf8("{\"type\": \"order.paid\", \"org\": "));
    bad.put("unmatched", utf8("{\"type\":\"user.created\",\"org\":\"" + org + "\"}"));
    bad.put(
        "rule-failure",
        utf8(
            "{\"type\":\"order.paid\",\"org\":\""
                + org
                + "\",\"event_id\":\"e-nouser\",\"ts\":\"2024-05-06T07:08:09Z\",\"ip\":\"1.1.1.1\","
                + "\"order\":{\"id\":\"o1\"}}"));
    bad.put("unknown-org", utf8(order("org_does_not_exist", "e-org", "u1", "o2", 1)));
    bad.put(
        "schema-400",
        utf8(
            "{\"type\":\"order.refunded\",\"org\":\""
                + org
                + "\",\"ip\":\"1.1.1.1\",\"user\":{\"id\":\"u1\"},\"order\":{\"id\":\"o3\"},"
                + "\"reason\":42}"));
    bad.put("tombstone", null);
    int good = 0;
    for (Map.Entry<String, byte[]> e : bad.entrySet()) {
      send(topic, 0, e.getKey(), e.getValue());
      send(topic, 0, "good-" + good, utf8(order(org, "good-" + good, "u", "o", good)));
      good++;
    }
    producer.flush();

    List<ConsumerRecord<byte[], byte[]>> dlq = new ArrayList<>();
    connect.kafka().consume(bad.size(), TIMEOUT.toMillis(), topic + ".dlq").forEach(dlq::add);
    await(TIMEOUT, good + " good events stored", () -> workos.events(org).size() >= 6);

    assertThat(dlq).hasSize(bad.size());
    Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : dlq) {
      byKey.put(new String(r.key(), StandardCharsets.UTF_8), r);
    }
    assertThat(byKey.keySet()).isEqualTo(bad.keySet());
    for (Map.Entry<String, byte[]> e : bad.entrySet()) {
      assertThat(byKey.get(e.getKey()).value()).as(e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(header(byKey.get("malformed"), DeadLetterHeaders.STAGE)).isEqualTo("convert");
    assertThat(header(byKey.get("malformed"), DeadLetterHeaders.REASON)).contains("malformed JSON");
    assertThat(header(byKey.get("unmatched"), DeadLetterHeaders.STAGE)).isEqualTo("map");
    assertThat(header(byKey.get("unmatched"), DeadLetterHeaders.RULE)).isNull();
    assertThat(header(byKey.get("rule-failure"), DeadLetterHeaders.STAGE)).isEqualTo("map");
    assertThat(header(byKey.get("rule-failure"), DeadLetterHeaders.RULE)).isEqualTo("order-paid");
    assertThat(header(byKey.get("rule-failure"), DeadLetterHeaders.REASON)).contains("actor.id");
    assertThat(header(byKey.get("unknown-org"), DeadLetterHeaders.STAGE)).isEqualTo("deliver");
    assertThat(header(byKey.get("unknown-org"), DeadLetterHeaders.WORKOS_STATUS)).isEqualTo("404");
    assertThat(header(byKey.get("unknown-org"), DeadLetterHeaders.WORKOS_REQUEST_ID)).isNotBlank();
    assertThat(header(byKey.get("schema-400"), DeadLetterHeaders.STAGE)).isEqualTo("deliver");
    assertThat(header(byKey.get("schema-400"), DeadLetterHeaders.RULE)).isEqualTo("order-refunded");
    assertThat(header(byKey.get("schema-400"), DeadLetterHeaders.WORKOS_STATUS)).isEqualTo("400");
    assertThat(header(byKey.get("schema-400"), DeadLetterHeaders.WORKOS_CODE))
        .isEqualTo("invalid_audit_log");
    assertThat(header(byKey.get("tombstone"), DeadLetterHeaders.STAGE)).isEqualTo("convert");
    for (ConsumerRecord<byte[], byte[]> r : dlq) {
      for (Header h : r.headers()) {
        assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain(TEST_API_KEY);
      }
    }
    assertThat(workos.events(org)).hasSize(6);
    connect
        .assertions()
        .assertConnectorAndExactlyNumTasksAreRunning("mixed", 1, "the task kept running");
    assertThat(ConnectClusterSupport.capturedLogs()).doesNotContain(TEST_API_KEY);
    int goodRecords = good;
    await(
        TIMEOUT,
        "every good delivery counted",
        () -> pluginMetric("mixed", 0, "events-delivered-total") == goodRecords);
    assertThat(pluginMetric("mixed", 0, "records-dead-lettered-total")).isEqualTo(bad.size());
    assertThat(pluginMetric("mixed", 0, "events-rejected-total"))
        .as("unknown-org (404) and schema-400")
        .isEqualTo(2);
    assertThat(pluginMetric("mixed", 0, "records-mapped-total"))
        .as("the good records, unknown-org and schema-400")
        .isEqualTo(good + 2);
    connect.deleteConnector("mixed");
  }

  /** Test 4: 503s, 429 bursts and resets after storing: every event stored once, no DLQ. */
  @Test
  void survivesFaultsStoringEveryEventExactlyOnce() throws Exception {
    String topic = "orders-faults";
    String org = workos.createOrganization("faults");
    connect.kafka().createTopic(topic, 2);
    workos.injectFaults(0.20, 0.05, 0.05);
    Map<String, String> config = connectorConfig(topic, TestRules.orders(topic, "skip"));
    // Over HTTP/1.1: the emulator resets the connection, and on the one HTTP/2 connection a reset
    // fails every request in flight, so 5 % of requests resetting would fail nearly every attempt.
    config.put("workos.http.version", "HTTP_1_1");
    connect.configureConnector("faults", config);
    int n = 300;
    for (int i = 0; i < n; i++) {
      send(topic, i % 2, "k" + i, utf8(order(org, "f-" + i, "u" + i, "o" + i, i)));
    }
    producer.flush();

    await(TIMEOUT, n + " stored events", () -> workos.events(org).size() >= n);
    await(
        TIMEOUT,
        "offsets committed",
        () -> {
          try {
            return committedOffsets("faults").values().stream().mapToLong(Long::longValue).sum()
                == n;
          } catch (Exception e) {
            return false;
          }
        });
    List<Emulator.Stored> stored = workos.events(org);
    assertThat(stored).hasSize(n);
    assertThat(stored.stream().map(s -> s.event().actor().id()).collect(Collectors.toSet()))
        .hasSize(n);
    assertThat(workos.faultsInjected()).isPositive();
    assertThat(connect.kafka().endOffset(new TopicPartition(topic + ".dlq", 0))).isZero();
    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("faults", 1, "no task failed");
    // Only this test injects faults; every one is retried (a timeout adds a retry, and so does
    // a reset for every other request in flight on the connection it closes).
    assertThat(pluginMetric("faults", 0, "events-delivered-total")).isEqualTo(n);
    assertThat(pluginMetric("faults", 0, "requests-retried-total"))
        .isGreaterThanOrEqualTo((double) workos.faultsInjected());
    // Every 429 the client reads is counted (one for one in SinkTaskMetricsTest). Here the
    // requests in flight share one HTTP/2 connection, which an injected reset closes: a 429
    // already written on it may never be read. So the client counts at most what was injected.
    long injected429 = workos.faultsInjected("throttle_429");
    assertThat(pluginMetric("faults", 0, "requests-throttled-total"))
        .isBetween(injected429 > 0 ? 1.0 : 0.0, (double) injected429);
    connect.deleteConnector("faults");
  }

  /** Test 7: the processor's Avro records are delivered as they are, keeping its keys. */
  @Test
  void deliversPreMappedAvroAuditEvents() throws Exception {
    String topic = "audit-events";
    String org = workos.createOrganization("avro");
    connect.kafka().createTopic(topic, 1);
    Map<String, String> props = connectorConfig(topic, null);
    props.put("auditpipe.input.mode", "audit-event");
    connect.configureConnector("avro", props);
    Set<String> keys = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      AuditEvent event =
          new AuditEvent(
              org,
              "document.shared",
              Instant.parse("2024-01-02T03:04:05.678Z").plusSeconds(i),
              OptionalInt.of(1),
              new Actor("user-" + i, "user", Optional.of("User " + i), Metadata.empty()),
              List.of(new Target("doc-" + i, "document", Optional.empty(), Metadata.empty())),
              new Context("192.0.2.1", Optional.of("agent/1")),
              Metadata.of(Map.of("n", MetadataValue.of((long) i))));
      String key = "processor-key-" + i;
      keys.add(key);
      send(
          topic,
          0,
          null,
          AuditEventAvroCodec.encode(
              new MappedEvent(event, key, "share"), new RecordCoordinates("docs", 0, i)));
    }
    send(topic, 0, "not-avro", new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
    producer.flush();

    await(TIMEOUT, "20 stored events", () -> workos.events(org).size() >= 20);
    List<Emulator.Stored> stored = workos.events(org);
    assertThat(stored).hasSize(20);
    assertThat(stored.stream().map(Emulator.Stored::idempotencyKey).collect(Collectors.toSet()))
        .isEqualTo(keys);
    Emulator.Stored first =
        stored.stream()
            .filter(s -> s.event().actor().id().equals("user-3"))
            .findFirst()
            .orElseThrow();
    assertThat(first.event().occurredAt()).isEqualTo(Instant.parse("2024-01-02T03:04:08.678Z"));
    assertThat(first.event().context().userAgent()).contains("agent/1");
    assertThat(first.event().metadata().values().get("n").raw()).isEqualTo(3L);
    ConsumerRecord<byte[], byte[]> dead =
        connect.kafka().consume(1, TIMEOUT.toMillis(), topic + ".dlq").iterator().next();
    assertThat(header(dead, DeadLetterHeaders.STAGE)).isEqualTo("convert");
    connect.deleteConnector("avro");
  }
}
