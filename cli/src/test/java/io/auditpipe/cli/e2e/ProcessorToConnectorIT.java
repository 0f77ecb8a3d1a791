package io.auditpipe.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.cli.e2e.ShopEvents.Generated;
import io.auditpipe.cli.e2e.ShopEvents.Kind;
import io.auditpipe.core.avro.AuditEventAvroCodec;
import io.auditpipe.core.avro.AvroDecodeResult;
import io.auditpipe.core.deadletter.DeadLetterHeaders;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RecordContext;
import io.auditpipe.core.rules.RecordKeys;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.emulator.WorkOsEmulator;
import io.auditpipe.processor.AuditProcessor;
import io.auditpipe.processor.config.ProcessorConfig;
import io.auditpipe.processor.output.OutputHeaders;
import io.auditpipe.testkit.connect.EmbeddedConnect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, end to end: the same domain records and rules reach WorkOS by both paths — processor
 * (exactly-once) → {@code audit-events} (Avro) → connector in input mode {@code audit-event} →
 * emulator A, and the connector mapping inline → emulator B — and both store the same events under
 * the same idempotency keys, each exactly once. Two emulators, so that one's idempotency
 * deduplication cannot hide a difference. A real KRaft broker and Connect worker run in this JVM;
 * the connector is loaded from its plugin archive on {@code plugin.path}, as deployed.
 */
class ProcessorToConnectorIT {

  private static final String DOMAIN_TOPIC = "shop.events";
  private static final String AUDIT_EVENTS = "audit-events";
  private static final String PROCESSOR_DLQ = "audit-events-dlq";
  private static final String PREMAPPED_DLQ = "audit-events.auditpipe-dlq";
  private static final String INLINE_DLQ = "shop.events.auditpipe-dlq";
  private static final int PARTITIONS = 3;
  private static final int RECORDS = 300;
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final String API_KEY = "sk_test_auditpipe_e2e_5b1d";

  private static final ObjectMapper STRICT_JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @TempDir static Path dir;

  private static EmbeddedConnectCluster connect;
  private static WorkOsEmulator viaProcessor;
  private static WorkOsEmulator inline;
  private static AuditProcessor processor;

  @BeforeAll
  static void start() throws Exception {
    viaProcessor = emulator();
    inline = emulator();
    connect = startConnect();
    connect.kafka().createTopic(DOMAIN_TOPIC, PARTITIONS);
    connect.kafka().createTopic(AUDIT_EVENTS, PARTITIONS);
    connect.kafka().createTopic(PROCESSOR_DLQ, 1);
  }

  @AfterAll
  static void stop() {
    if (processor != null) {
      processor.close(Duration.ofSeconds(30));
    }
    if (connect != null) {
      connect.stop();
    }
    if (inline != null) {
      inline.close();
    }
    if (viaProcessor != null) {
      viaProcessor.close();
    }
  }

  @Test
  void bothPathsStoreTheSameEventsUnderTheSameKeysExactlyOnce() throws Exception {
    String rulesDocument = resource("shop-rules.json");
    CompiledRules rules = RulesCompiler.compile(rulesDocument);
    processor = startProcessor(Files.writeString(dir.resolve("shop-rules.json"), rulesDocument));
    connect.configureConnector("premapped", premappedConnector());
    connect.configureConnector("inline", inlineConnector(rulesDocument));
    connect
        .assertions()
        .assertConnectorAndExactlyNumTasksAreRunning("premapped", 1, "premapped not running");
    connect
        .assertions()
        .assertConnectorAndExactlyNumTasksAreRunning("inline", 1, "inline not running");

    List<Generated> generated = ShopEvents.generate(DOMAIN_TOPIC, PARTITIONS, RECORDS);
    Expectations expected = expectations(rules, generated, produce(generated));
    assertThat(expected.events.size()).as("expected events").isGreaterThan(RECORDS / 2);
    assertThat(expected.deadLetters).as("expected dead letters").isNotEmpty();

    TestUtils.waitForCondition(
        () ->
            viaProcessor.eventCount() >= expected.events.size()
                && inline.eventCount() >= expected.events.size(),
        TIMEOUT.toMillis(),
        () ->
            "both emulators to store "
                + expected.events.size()
                + " events; via the processor: "
                + viaProcessor.eventCount()
                + ", inline: "
                + inline.eventCount());
    List<ConsumerRecord<byte[], byte[]>> processorDlq =
        readCommitted(PROCESSOR_DLQ, expected.deadLetters.size());
    List<ConsumerRecord<byte[], byte[]>> inlineDlq =
        readCommitted(INLINE_DLQ, expected.deadLetters.size());

    StoredRequests want = StoredRequests.expected("expected", expected.events);
    StoredRequests a = StoredRequests.of("emulator A (processor path)", viaProcessor);
    StoredRequests b = StoredRequests.of("emulator B (inline path)", inline);
    assertThat(a.problems()).isEmpty();
    assertThat(b.problems()).isEmpty();
    assertThat(want.differenceFrom(a)).as("what the rules make of the records vs A").isEmpty();
    assertThat(a.differenceFrom(b)).as("A (processor path) vs B (inline path)").isEmpty();

    assertProcessorOutputHasEachEventOnce(expected);
    assertThat(values(processorDlq))
        .as("the processor's dead letters: exactly the bad inputs")
        .containsExactlyInAnyOrderElementsOf(expected.deadLetters.keySet());
    for (ConsumerRecord<byte[], byte[]> dead : processorDlq) {
      String value = new String(dead.value(), StandardCharsets.UTF_8);
      assertThat(header(dead, DeadLetterHeaders.STAGE))
          .as("stage of %s", value)
          .isEqualTo(expected.deadLetters.get(value));
    }
    assertThat(values(inlineDlq))
        .as("the inline connector's dead letters: the same bad inputs")
        .containsExactlyInAnyOrderElementsOf(expected.deadLetters.keySet());
    // One dead-letter contract: the same bad record gets the same auditpipe.* headers on both paths
    // (both read the same source topics, so even the coordinates agree).
    Map<String, Map<String, String>> inlineHeaders = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> dead : inlineDlq) {
      inlineHeaders.put(new String(dead.value(), StandardCharsets.UTF_8), auditpipeHeaders(dead));
    }
    for (ConsumerRecord<byte[], byte[]> dead : processorDlq) {
      String value = new String(dead.value(), StandardCharsets.UTF_8);
      assertThat(inlineHeaders.get(value))
          .as("the inline connector's auditpipe headers of %s", value)
          .isEqualTo(auditpipeHeaders(dead));
    }
    assertThat(connect.kafka().endOffset(new TopicPartition(PREMAPPED_DLQ, 0)))
        .as("dead letters of the connector delivering the processor's events")
        .isZero();
  }

  /** What the rules make of the produced records, mapped directly by core. */
  private record Expectations(Map<String, JsonNode> events, Map<String, String> deadLetters) {}

  private static Expectations expectations(
      CompiledRules rules, List<Generated> generated, List<RecordMetadata> produced) {
    Map<String, JsonNode> events = new LinkedHashMap<>();
    Map<String, String> deadLetters = new HashMap<>();
    for (int i = 0; i < generated.size(); i++) {
      ProducerRecord<byte[], byte[]> record = generated.get(i).record();
      RecordMetadata at = produced.get(i);
      Kind kind;
      String stage = "";
      if (record.value() == null) {
        kind = Kind.TOMBSTONE;
      } else {
        JsonNode value;
        try {
          value = STRICT_JSON.readTree(record.value());
        } catch (IOException e) {
          value = null;
        }
        MappingOutcome outcome =
            value == null ? null : rules.map(value, context(record, at.offset()));
        if (outcome == null) {
          kind = Kind.MALFORMED;
          stage = "convert";
        } else if (outcome instanceof MappingOutcome.Mapped mapped) {
          kind = Kind.MAPPED;
          for (MappedEvent event : mapped.events()) {
            assertThat(events.put(event.idempotencyKey(), AuditEventJson.toJsonNode(event.event())))
                .as("an earlier event with the idempotency key of record %d's", i)
                .isNull();
          }
        } else if (outcome instanceof MappingOutcome.Failed failed) {
          stage = failed.failures().get(0).stage().name().toLowerCase(Locale.ROOT);
          kind = stage.equals("validate") ? Kind.INVALID : Kind.UNMAPPABLE;
        } else {
          kind = Kind.UNMATCHED;
        }
      }
      // The rules must treat each record as the generator meant, or the test proves less.
      assertThat(kind)
          .as("record %d at offset %d", i, at.offset())
          .isEqualTo(generated.get(i).kind());
      if (kind.deadLettered()) {
        deadLetters.put(new String(record.value(), StandardCharsets.UTF_8), stage);
      }
    }
    return new Expectations(events, deadLetters);
  }

  private static RecordContext context(ProducerRecord<byte[], byte[]> record, long offset) {
    Map<String, String> headers = new HashMap<>();
    for (Header h : record.headers()) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    return new RecordContext(
        record.topic(),
        record.partition(),
        offset,
        Optional.of(Instant.ofEpochMilli(record.timestamp())),
        RecordKeys.fromBytes(record.key()),
        headers);
  }

  private static void assertProcessorOutputHasEachEventOnce(Expectations expected) {
    List<ConsumerRecord<byte[], byte[]>> output =
        readCommitted(AUDIT_EVENTS, expected.events.size());
    List<String> keys = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : output) {
      AvroDecodeResult decoded = AuditEventAvroCodec.decode(record.value());
      assertThat(decoded).isInstanceOf(AvroDecodeResult.Decoded.class);
      String key = ((AvroDecodeResult.Decoded) decoded).record().mapped().idempotencyKey();
      assertThat(header(record, OutputHeaders.IDEMPOTENCY_KEY)).isEqualTo(key);
      keys.add(key);
    }
    assertThat(keys)
        .as("idempotency keys on the committed audit-events topic")
        .containsExactlyInAnyOrderElementsOf(expected.events.keySet());
  }

  private static List<RecordMetadata> produce(List<Generated> generated) throws Exception {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
      for (Generated g : generated) {
        sent.add(producer.send(g.record()));
      }
      producer.flush();
    }
    List<RecordMetadata> produced = new ArrayList<>();
    for (Future<RecordMetadata> f : sent) {
      produced.add(f.get());
    }
    return produced;
  }

  /**
   * Every record of {@code topic} a read_committed consumer sees once at least {@code atLeast} have
   * arrived and it has reached the end of every partition.
   */
  private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int atLeast) {
    Map<String, Object> props = new HashMap<>();
    props.put("isolation.level", "read_committed");
    props.put("enable.auto.commit", "false");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumer(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Instant deadline = Instant.now().plus(TIMEOUT);
      while (true) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        if (records.size() >= atLeast && atEnd(consumer, partitions)) {
          return records;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError(
              "timed out after "
                  + TIMEOUT
                  + " reading "
                  + atLeast
                  + " committed records of "
                  + topic
                  + "; found "
                  + records.size());
        }
      }
    }
  }

  private static boolean atEnd(
      KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
  }

  private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
  }

  private static Map<String, String> auditpipeHeaders(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (Header h : record.headers()) {
      if (h.key().startsWith(DeadLetterHeaders.PREFIX)) {
        out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static AuditProcessor startProcessor(Path rules) throws Exception {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", connect.kafka().bootstrapServers());
    props.put(ProcessorConfig.RULES_PATH_CONFIG, rules.toString());
    props.put(ProcessorConfig.OUTPUT_TOPIC_CONFIG, AUDIT_EVENTS);
    props.put(ProcessorConfig.DLQ_TOPIC_CONFIG, PROCESSOR_DLQ);
    props.put("application.id", "auditpipe-e2e");
    props.put("state.dir", Files.createDirectories(dir.resolve("streams")).toString());
    // Each commit makes a transaction's events visible to the connector.
    props.put("commit.interval.ms", "200");
    AuditProcessor started =
        AuditProcessor.create(
            new ProcessorConfig(props), RulesCompiler.compile(Files.readString(rules)));
    started.start();
    return started;
  }

  /** Delivers the processor's Avro events, reading only committed transactions. */
  private static Map<String, String> premappedConnector() {
    Map<String, String> props = sinkConnector(AUDIT_EVENTS, PREMAPPED_DLQ, viaProcessor);
    props.put("auditpipe.input.mode", "audit-event");
    props.put("consumer.override.isolation.level", "read_committed");
    return props;
  }

  /**
   * Maps the domain topic with the same rules, configured as docs/deploy.md shows plus a header
   * converter that passes header bytes through, as the processor reads them: Connect's default
   * SimpleHeaderConverter parses header text into typed values before the connector sees it ({@code
   * 2.10} becomes the number 2.1, {@code 12:30:00} the number 12). With this converter every dead
   * letter must go out as the worker's own consumer record, since the auditpipe error headers are
   * text, which ByteArrayConverter refuses to serialize.
   */
  private static Map<String, String> inlineConnector(String rules) {
    Map<String, String> props = sinkConnector(DOMAIN_TOPIC, INLINE_DLQ, inline);
    props.put("header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("auditpipe.rules", rules);
    return props;
  }

  private static Map<String, String> sinkConnector(
      String topic, String dlq, WorkOsEmulator workos) {
    Map<String, String> props = new HashMap<>();
    props.put("connector.class", "io.auditpipe.connect.WorkOsSinkConnector");
    props.put("tasks.max", "1");
    props.put("topics", topic);
    props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("workos.api.key", API_KEY);
    props.put("workos.base.url", workos.baseUrl().toString());
    props.put("workos.rate.limit.requests.per.minute", "0");
    props.put("errors.tolerance", "all");
    props.put("errors.deadletterqueue.topic.name", dlq);
    props.put("errors.deadletterqueue.topic.replication.factor", "1");
    return props;
  }

  private static WorkOsEmulator emulator() {
    WorkOsEmulator.Builder builder = WorkOsEmulator.builder().apiKey(API_KEY).noRateLimit();
    ShopEvents.ORGANIZATIONS.forEach(id -> builder.organization(id, id, Optional.empty()));
    return builder.start();
  }

  private static EmbeddedConnectCluster startConnect() {
    Map<String, String> worker = new HashMap<>();
    worker.put("plugin.path", EmbeddedConnect.unpackedPluginArchive().toString());
    worker.put("plugin.discovery", "service_load");
    worker.put("offset.flush.interval.ms", "1000");
    return EmbeddedConnect.start("auditpipe-e2e", 1, worker);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ProcessorToConnectorIT.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
