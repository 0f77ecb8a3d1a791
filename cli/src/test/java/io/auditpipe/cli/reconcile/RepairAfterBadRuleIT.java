package io.auditpipe.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.cli.CommandRun;
import io.auditpipe.cli.ExitCodes;
import io.auditpipe.emulator.WorkOsEmulator;
import io.auditpipe.emulator.state.StoredEvent;
import io.auditpipe.testkit.connect.EmbeddedConnect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole repair story with the real pieces: a Kafka broker and a Connect worker running the
 * connector from its plugin archive, delivering to the emulator. A bad rule dead-letters a kind of
 * record; the rules are fixed; {@code dlq replay} (interrupted once) re-drives exactly those dead
 * letters; every one is delivered once, nothing else is replayed; {@code reconcile} then reports
 * nothing missing.
 */
class RepairAfterBadRuleIT {

  private static final String TOPIC = "repair.events";
  private static final String DLQ = "repair.events.auditpipe-dlq";
  private static final String CONNECTOR = "repair";
  private static final String ORG = "org_01REPAIR0000000000000000";
  private static final String API_KEY = "sk_test_auditpipe_repair_7c2e";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  // One instant for the class's shared fixture, taken once: tests compare with it, not with now.
  @SuppressWarnings("TimeInStaticInitializer")
  private static final Instant AT =
      Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

  private static final int LOGINS = 6;
  private static final int ORDERS = 8;

  /** order-paid's actor is {@code /buyer}; BAD reads {@code /customer}, which no record has. */
  private static final String RULES =
      """
      {
        "version": 1,
        "unmatched": "skip",
        "defaults": {
          "organization_id": {"path": "/org"},
          "occurred_at": {"path": "/at", "timestamp": "iso8601"},
          "context": {"location": {"path": "/ip"}}
        },
        "rules": [
          {
            "name": "user-login",
            "topics": ["repair.events"],
            "when": {"path": "/type", "equals": "user.login"},
            "action": "user.login",
            "actor": {"id": {"path": "/user"}, "type": "user"},
            "targets": [{"id": {"path": "/user"}, "type": "user"}]
          },
          {
            "name": "order-paid",
            "topics": ["repair.events"],
            "when": {"path": "/type", "equals": "order.paid"},
            "action": "order.paid",
            "actor": {"id": {"path": "/buyer"}, "type": "user"},
            "targets": [{"id": {"path": "/order"}, "type": "order"}]
          }
        ]
      }
      """;

  private static final String BAD_RULES = RULES.replace("\"/buyer\"", "\"/customer\"");

  @TempDir static Path dir;

  private static EmbeddedConnectCluster connect;
  private static WorkOsEmulator workos;

  @BeforeAll
  static void start() {
    workos =
        WorkOsEmulator.builder()
            .apiKey(API_KEY)
            .noRateLimit()
            .organization(ORG, "repair", Optional.empty())
            .start();
    Map<String, String> worker = new HashMap<>();
    worker.put("plugin.path", EmbeddedConnect.unpackedPluginArchive().toString());
    worker.put("plugin.discovery", "service_load");
    worker.put("offset.flush.interval.ms", "500");
    connect =
        EmbeddedConnect.start(
            "auditpipe-repair", 1, worker, Map.of("group.initial.rebalance.delay.ms", "0"));
    connect.kafka().createTopic(TOPIC, 1);
    connect.kafka().createTopic(DLQ, 1);
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
  void deadLettersOfABadRuleAreReplayedOnceAfterTheFixAndReconcileFindsNothingMissing()
      throws Exception {
    connect.configureConnector(CONNECTOR, connector(BAD_RULES));
    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 1, "not running");
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < LOGINS + ORDERS; i++) {
        producer.send(new ProducerRecord<>(TOPIC, 0, bytes("k" + i), bytes(source(i)))).get();
      }
      // Not JSON: dead-lettered at the convert stage, and no business of the replay below.
      producer.send(new ProducerRecord<>(TOPIC, 0, bytes("junk"), bytes("not json"))).get();
    }
    long firstRecords = LOGINS + ORDERS + 1;
    awaitConsumed(firstRecords);
    assertThat(workos.eventCount()).as("the logins, before the fix").isEqualTo(LOGINS);
    assertThat(connect.kafka().endOffset(new TopicPartition(DLQ, 0))).isEqualTo(ORDERS + 1);

    // Stopped first (KIP-875): a task of the old configuration still running after the new one is
    // written would dead-letter the canary below with the bad rule.
    connect.stopConnector(CONNECTOR);
    connect.assertions().assertConnectorIsStopped(CONNECTOR, "not stopped");
    connect.configureConnector(CONNECTOR, connector(RULES));
    connect.resumeConnector(CONNECTOR);
    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 1, "not running");
    // A new order after the fix: once it is stored, the fixed rules are the ones the task runs.
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.send(new ProducerRecord<>(TOPIC, 0, bytes("canary"), bytes(order(ORDERS)))).get();
    }
    TestUtils.waitForCondition(
        () -> workos.eventCount() == LOGINS + 1,
        TIMEOUT.toMillis(),
        () -> "the order produced after the fix to be stored; events: " + workos.eventCount());

    CommandRun interrupted = replay("--stage", "map", "--rule", "order-paid", "--max-records", "3");
    CommandRun resumed = replay("--stage", "map", "--rule", "order-paid");
    CommandRun again = replay("--stage", "map", "--rule", "order-paid");

    assertThat(interrupted.exitCode()).as(interrupted.err()).isEqualTo(ExitCodes.OK);
    assertThat(interrupted.out()).contains("replayed 3 of 3 dead letter(s)", "run again to resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(ExitCodes.OK);
    assertThat(resumed.out()).contains("replayed 5 of 6 dead letter(s)");
    assertThat(again.out()).contains("replayed 0 of 0 dead letter(s)");
    long allRecords = firstRecords + 1 + ORDERS;
    assertThat(connect.kafka().endOffset(new TopicPartition(TOPIC, 0)))
        .as("the source topic: the original records, the order after the fix, the replayed orders")
        .isEqualTo(allRecords);
    awaitConsumed(allRecords);

    List<String> stored = new ArrayList<>();
    for (StoredEvent e : workos.events()) {
      stored.add(e.event().action() + " " + e.json().path("targets").get(0).path("id").asText());
    }
    List<String> want = new ArrayList<>();
    for (int i = 0; i <= ORDERS; i++) {
      want.add("order.paid ord-" + i);
    }
    for (int i = 0; i < LOGINS; i++) {
      want.add("user.login u" + i);
    }
    assertThat(stored)
        .as("every event stored exactly once")
        .containsExactlyInAnyOrderElementsOf(want);
    assertThat(connect.kafka().endOffset(new TopicPartition(DLQ, 0)))
        .as("nothing dead-lettered again")
        .isEqualTo(ORDERS + 1);

    Path rules = Files.writeString(dir.resolve("rules.json"), RULES);
    Path key = Files.writeString(dir.resolve("api-key"), API_KEY);
    CommandRun reconcile =
        CommandRun.of(
            "reconcile",
            rules.toString(),
            "-b",
            connect.kafka().bootstrapServers(),
            "--dlq-topic",
            DLQ,
            "--workos-url",
            workos.baseUrl().toString(),
            "--api-key-file",
            key.toString(),
            "--poll-interval",
            "PT0.1S",
            "--timeout",
            "PT60S",
            "--max-window-events",
            "4",
            "--format",
            "json");

    assertThat(reconcile.exitCode()).as(reconcile.out() + reconcile.err()).isEqualTo(ExitCodes.OK);
    JsonNode report = MAPPER.readTree(reconcile.out());
    assertThat(report.path("records").asLong()).isEqualTo(allRecords);
    assertThat(report.path("expected").asLong()).isEqualTo(want.size());
    assertThat(report.path("found").asLong()).isEqualTo(want.size());
    assertThat(report.path("missing")).isEmpty();
    assertThat(report.path("unexpected")).isEmpty();
    assertThat(report.path("not_delivered"))
        .as("the originals of the replayed orders and the junk record: dead-lettered, not missing")
        .hasSize(ORDERS + 1);
    assertThat(reconcile.err()).containsPattern("in [4-9] window\\(s\\)");
  }

  private static CommandRun replay(String... filters) {
    List<String> args =
        new ArrayList<>(
            List.of("dlq", "replay", "-b", connect.kafka().bootstrapServers(), "-t", DLQ));
    args.addAll(List.of(filters));
    return CommandRun.of(args.toArray(String[]::new));
  }

  /** Waits until the connector's consumer group has committed {@code offset} on the topic. */
  private static void awaitConsumed(long offset) throws InterruptedException {
    TopicPartition tp = new TopicPartition(TOPIC, 0);
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", connect.kafka().bootstrapServers()))) {
      TestUtils.waitForCondition(
          () -> {
            OffsetAndMetadata committed =
                admin
                    .listConsumerGroupOffsets("connect-" + CONNECTOR)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .get(tp);
            return committed != null && committed.offset() >= offset;
          },
          TIMEOUT.toMillis(),
          "the connector to commit offset " + offset + " of " + TOPIC);
    }
  }

  /** The i-th source record: orders and logins alternating, orders first, until logins run out. */
  private static String source(int i) {
    return i % 2 == 1 && i / 2 < LOGINS ? login(i / 2) : order(i < 2 * LOGINS ? i / 2 : i - LOGINS);
  }

  private static String login(int i) {
    return "{\"type\":\"user.login\",\"org\":\""
        + ORG
        + "\",\"at\":\""
        + AT.plusSeconds(i)
        + "\",\"ip\":\"192.0.2.1\",\"user\":\"u"
        + i
        + "\"}";
  }

  private static String order(int n) {
    return "{\"type\":\"order.paid\",\"org\":\""
        + ORG
        + "\",\"at\":\""
        + AT.plusSeconds(100 + n)
        + "\",\"ip\":\"192.0.2.1\",\"buyer\":\"b"
        + n
        + "\",\"order\":\"ord-"
        + n
        + "\"}";
  }

  private static Map<String, String> connector(String rules) {
    Map<String, String> props = new HashMap<>();
    props.put("connector.class", "io.auditpipe.connect.WorkOsSinkConnector");
    props.put("tasks.max", "1");
    props.put("topics", TOPIC);
    props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("auditpipe.rules", rules);
    props.put("workos.api.key", API_KEY);
    props.put("workos.base.url", workos.baseUrl().toString());
    props.put("workos.rate.limit.requests.per.minute", "0");
    props.put("errors.tolerance", "all");
    props.put("errors.deadletterqueue.topic.name", DLQ);
    props.put("errors.deadletterqueue.topic.replication.factor", "1");
    return props;
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", connect.kafka().bootstrapServers()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
