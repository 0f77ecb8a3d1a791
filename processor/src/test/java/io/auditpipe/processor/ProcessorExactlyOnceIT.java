package io.auditpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.core.avro.AuditEventAvroCodec;
import io.auditpipe.core.avro.AvroDecodeResult;
import io.auditpipe.core.deadletter.DeadLetterHeaders;
import io.auditpipe.core.rules.IdempotencyKeys;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.processor.config.ProcessorConfigLoader;
import io.auditpipe.processor.metrics.RuleMetrics;
import io.auditpipe.processor.output.OutputHeaders;
import io.auditpipe.testkit.kafka.KafkaBroker;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once through a crash: a processor in its own JVM is killed with SIGKILL mid-stream (an
 * open transaction, uncommitted offsets), a new instance takes over, and the committed output has
 * every expected event exactly once and the dead-letter topic exactly the bad inputs.
 */
class ProcessorExactlyOnceIT {

  private static final String INPUT = "orders";
  private static final String OUTPUT = "audit-events";
  private static final String DLQ = "audit-events-dlq";
  private static final int RECORDS = 10_000;
  private static final Duration DEADLINE = Duration.ofSeconds(150);

  private static final String RULES =
      """
      {"version": 1,
       "defaults": {"organization_id": {"path": "/org"}, "context": {"location": "10.0.0.1"}},
       "rules": [{"name": "order-paid", "topics": ["orders"], "action": "order.paid",
                  "occurred_at": {"path": "/ts", "timestamp": "epoch_millis"},
                  "actor": {"id": {"path": "/user/id"}, "type": "user"},
                  "targets": [{"id": {"path": "/order"}, "type": "order"}],
                  "idempotency_key": {"path": "/event_id"}}]}
      """;

  private static KafkaBroker cluster;

  @TempDir static Path dir;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster =
        KafkaBroker.start(
            Map.of(
                "offsets.topic.num.partitions",
                "1",
                // A killed instance's group membership must expire quickly for the restart to
                // proceed.
                "group.min.session.timeout.ms",
                "1000"));
    cluster.createTopic(INPUT, 3);
    cluster.createTopic(OUTPUT, 3);
    cluster.createTopic(DLQ, 1);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void committedOutputHasEveryEventExactlyOnceAfterAKillAndRestart() throws Exception {
    Set<String> expectedKeys = new HashSet<>();
    Set<String> expectedDeadLetters = new HashSet<>();
    produce(0, RECORDS / 2, expectedKeys, expectedDeadLetters);

    Path rules = Files.writeString(dir.resolve("rules.json"), RULES);
    RulesCompiler.compile(RULES); // fail fast on a bad test document
    Path config = writeConfig(rules);

    Process first = startInOwnJvm(config);
    try {
      waitFor(() -> countRecords(OUTPUT, "read_uncommitted") >= 1_000, "first output", first);
    } finally {
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(first.exitValue()).as("killed, not exited cleanly").isNotZero();

    produce(RECORDS / 2, RECORDS, expectedKeys, expectedDeadLetters);
    try (AuditProcessor second =
        AuditProcessor.create(
            ProcessorConfigLoader.load(Optional.of(config), Map.of()),
            RulesCompiler.compile(rules, io.auditpipe.core.rules.OrganizationResolver.none()))) {
      second.start();
      waitFor(
          () ->
              countRecords(OUTPUT, "read_committed") >= expectedKeys.size()
                  && countRecords(DLQ, "read_committed") >= expectedDeadLetters.size(),
          "all output committed",
          null);
      assertThat(second.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(jmxTotal("mapped-total", "order-paid")).isPositive();
      assertThat(jmxTotal("dead-lettered-total", "order-paid")).isPositive();
      assertThat(jmxTotal("dead-lettered-total", RuleMetrics.NO_RULE)).isPositive();
    }

    List<ConsumerRecord<byte[], byte[]>> output = readAll(OUTPUT);
    Map<String, Integer> keys = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : output) {
      AvroDecodeResult decoded = AuditEventAvroCodec.decode(record.value());
      assertThat(decoded).isInstanceOf(AvroDecodeResult.Decoded.class);
      String key = ((AvroDecodeResult.Decoded) decoded).record().mapped().idempotencyKey();
      assertThat(header(record, OutputHeaders.IDEMPOTENCY_KEY)).isEqualTo(key);
      keys.merge(key, 1, Integer::sum);
    }
    assertThat(keys.keySet()).isEqualTo(expectedKeys);
    assertThat(keys.values()).allMatch(n -> n == 1);
    assertThat(output).hasSize(expectedKeys.size());

    List<ConsumerRecord<byte[], byte[]>> deadLetters = readAll(DLQ);
    List<String> deadValues = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : deadLetters) {
      deadValues.add(new String(record.value(), StandardCharsets.UTF_8));
      assertThat(header(record, DeadLetterHeaders.STAGE)).isIn("convert", "map");
    }
    assertThat(deadValues).hasSize(expectedDeadLetters.size());
    assertThat(new HashSet<>(deadValues)).isEqualTo(expectedDeadLetters);
  }

  /** Produces records [from, to): every 100th is not JSON, every 100th (offset 50) has no user. */
  private static void produce(int from, int to, Set<String> keys, Set<String> deadLetters) {
    Properties props = cluster.clientProperties();
    props.put("enable.idempotence", "true");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = from; i < to; i++) {
        String value;
        if (i % 100 == 0) {
          value = "not json " + i;
          deadLetters.add(value);
        } else if (i % 100 == 50) {
          value =
              "{\"event_id\":\"e-%d\",\"org\":\"org_%d\",\"ts\":1700000000000,\"order\":\"o%d\"}"
                  .formatted(i, i % 7, i);
          deadLetters.add(value);
        } else {
          value =
              "{\"event_id\":\"e-%d\",\"org\":\"org_%d\",\"ts\":1700000000000,\"order\":\"o%d\",\"user\":{\"id\":\"u%d\"}}"
                  .formatted(i, i % 7, i, i % 13);
          keys.add(IdempotencyKeys.fromEventId("e-" + i, "order-paid", 0));
        }
        var unused =
            producer.send(
                new ProducerRecord<>(
                    INPUT,
                    ("k" + i).getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  private static Path writeConfig(Path rules) throws IOException {
    Properties props = new Properties();
    props.put("bootstrap.servers", cluster.bootstrapServers());
    props.put("application.id", "auditpipe-eos-it");
    props.put("rules.path", rules.toString());
    props.put("output.topic", OUTPUT);
    props.put("dlq.topic", DLQ);
    props.put("state.dir", dir.resolve("state").toString());
    props.put("commit.interval.ms", "200");
    props.put("session.timeout.ms", "2000");
    props.put("heartbeat.interval.ms", "500");
    Path config = dir.resolve("processor.properties");
    try (Writer writer = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      props.store(writer, "ProcessorExactlyOnceIT");
    }
    return config;
  }

  private static Process startInOwnJvm(Path config) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    File log = dir.resolve("first-instance.log").toFile();
    return new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            ProcessorProcess.class.getName(),
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
  }

  private static long countRecords(String topic, String isolation) {
    return readAll(topic, isolation, Duration.ofMillis(300)).size();
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    return readAll(topic, "read_committed", Duration.ofSeconds(2));
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(
      String topic, String isolation, Duration quiet) {
    Properties props = cluster.clientProperties();
    props.put("isolation.level", isolation);
    props.put("auto.offset.reset", "earliest");
    props.put("enable.auto.commit", "false");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<org.apache.kafka.common.TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plusSeconds(20);
      while (Instant.now().isBefore(deadline)) {
        consumer.poll(quiet).forEach(records::add);
        boolean done = true;
        for (org.apache.kafka.common.TopicPartition tp : partitions) {
          if (consumer.position(tp) < end.get(tp)) {
            done = false;
          }
        }
        if (done) {
          break;
        }
      }
    }
    return records;
  }

  private interface Condition {
    boolean met() throws Exception;
  }

  private static void waitFor(Condition condition, String what, Process process) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!condition.met()) {
      if (process != null && !process.isAlive()) {
        throw new AssertionError(
            what
                + ": the processor exited with "
                + process.exitValue()
                + "; see "
                + dir.resolve("first-instance.log"));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  /** The per-rule metric summed over stream threads, read through the platform MBean server. */
  private static double jmxTotal(String attribute, String rule) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    double total = 0;
    for (ObjectName name :
        server.queryNames(new ObjectName("kafka.streams:type=" + RuleMetrics.GROUP + ",*"), null)) {
      String entity = name.getKeyProperty(RuleMetrics.SCOPE + "-id");
      if (entity != null && entity.startsWith("\"")) {
        entity = ObjectName.unquote(entity);
      }
      if (rule.equals(entity)) {
        total += ((Number) server.getAttribute(name, attribute)).doubleValue();
      }
    }
    return total;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
