package io.auditpipe.connect.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.connect.RunningTask;
import io.auditpipe.connect.config.WorkOsSinkConnectorConfig;
import io.auditpipe.core.deadletter.DeadLetterHeaders;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.processor.config.ProcessorConfig;
import io.auditpipe.processor.output.OutputFormat;
import io.auditpipe.processor.topology.AuditTopologyFactory;
import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.runtime.InternalSinkRecord;
import org.apache.kafka.connect.runtime.errors.ProcessingContext;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The processor and the connector dead-letter the same bad records with the same {@code
 * auditpipe.*} headers: both write core's dead-letter contract. Each record is fed at the same
 * coordinates ({@code orders-0@n}) through a Kafka Streams topology (processor) and a sink task
 * with a recording errant-record reporter (connector).
 *
 * <p>Nothing is excluded from the comparison: these failures (convert, map, validate) happen before
 * delivery, where both paths know the same stage, rule, reason and coordinates. What legitimately
 * differs lies outside {@code auditpipe.*}: Connect's own {@code __connect.errors.*} headers, which
 * the worker adds when {@code errors.deadletterqueue.context.headers.enable} is set, and the
 * delivery-stage headers ({@code auditpipe.workos.*}, stages {@code lookup} and {@code deliver}),
 * which only the connector writes because only the connector talks to WorkOS.
 */
class DeadLetterContractTest {

  private static final String TOPIC = "orders";
  private static final String ORG = "org_01EHWNCE74X7JSDV0X3SZ3KJNY";
  private static final long TIMESTAMP = Instant.parse("2026-11-23T10:15:30Z").toEpochMilli();

  private static final String RULES =
      """
      {
        "version": 1,
        "unmatched": "dlq",
        "rules": [
          {
            "name": "order-paid",
            "topics": ["orders"],
            "when": {"path": "/type", "equals": "order.paid"},
            "organization_id": {"path": "/org"},
            "action": "order.paid",
            "occurred_at": {"path": "/ts", "timestamp": "iso8601"},
            "actor": {"id": {"path": "/user/id"}, "type": "user"},
            "targets": [{"id": {"path": "/order/id"}, "type": "order"}],
            "context": {"location": "10.0.0.1"},
            "metadata": {"note": {"path": "/note", "optional": true}}
          }
        ]
      }
      """;

  @RegisterExtension
  static final WorkOsEmulatorExtension WORKOS =
      WorkOsEmulatorExtension.builder().organization(ORG, "acme").noRateLimit().build();

  /** The bad records, by what is wrong with them, in offset order. */
  private static final Map<String, byte[]> BAD = new LinkedHashMap<>();

  static {
    BAD.put("unmatched", utf8("{\"type\":\"order.refunded\",\"org\":\"" + ORG + "\"}"));
    BAD.put("unmappable", order("\"order\":{\"id\":\"o-1\"}"));
    BAD.put(
        "invalid by WorkOS limits",
        order(
            "\"user\":{\"id\":\"u-1\"},\"order\":{\"id\":\"o-1\"},\"note\":\""
                + "x".repeat(501)
                + "\""));
    BAD.put("malformed JSON", utf8("{\"type\":\"order.paid\",\"org\": acme}"));
  }

  @Test
  void theProcessorAndTheConnectorWriteTheSameHeadersForTheSameBadRecords() throws Exception {
    List<Map<String, String>> processor = throughTheProcessor();
    List<Map<String, String>> connector = throughTheConnector();

    assertThat(processor).hasSize(BAD.size());
    assertThat(connector).hasSize(BAD.size());
    List<String> kinds = List.copyOf(BAD.keySet());
    for (int i = 0; i < kinds.size(); i++) {
      assertThat(connector.get(i))
          .as("connector headers of the %s record", kinds.get(i))
          .isEqualTo(processor.get(i));
    }
    assertThat(processor)
        .extracting(h -> h.get(DeadLetterHeaders.STAGE))
        .containsExactly("map", "map", "validate", "convert");
    assertThat(processor)
        .extracting(h -> h.get(DeadLetterHeaders.RULE))
        .containsExactly(null, "order-paid", "order-paid", null);
    assertThat(processor.get(0).get(DeadLetterHeaders.REASON))
        .isEqualTo(
            "expected a rule selecting the record (unmatched: dlq), found none for topic orders");
    assertThat(processor.get(3).get(DeadLetterHeaders.REASON))
        .startsWith("expected a JSON value, found malformed JSON at line 1, column ")
        .doesNotContain("acme");
    assertThat(processor)
        .extracting(
            h ->
                h.get(DeadLetterHeaders.TOPIC)
                    + "-"
                    + h.get(DeadLetterHeaders.PARTITION)
                    + "@"
                    + h.get(DeadLetterHeaders.OFFSET))
        .containsExactly("orders-0@0", "orders-0@1", "orders-0@2", "orders-0@3");
  }

  private static List<Map<String, String>> throughTheProcessor() throws Exception {
    ProcessorConfig config =
        new ProcessorConfig(
            Map.of(
                ProcessorConfig.RULES_PATH_CONFIG,
                "unused.json",
                ProcessorConfig.DLQ_TOPIC_CONFIG,
                "orders-dlq",
                "bootstrap.servers",
                "unused:9092"));
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            AuditTopologyFactory.build(
                RulesCompiler.compile(RULES), "audit-events", OutputFormat.AVRO),
            config.streamsProperties())) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
      for (byte[] value : BAD.values()) {
        in.pipeInput(new TestRecord<>(utf8("k"), value, Instant.ofEpochMilli(TIMESTAMP)));
      }
      TestOutputTopic<byte[], byte[]> dlq =
          driver.createOutputTopic(
              "orders-dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<Map<String, String>> out = new ArrayList<>();
      for (TestRecord<byte[], byte[]> dead : dlq.readRecordsToList()) {
        out.add(auditpipeHeaders(dead.headers()));
      }
      return out;
    }
  }

  private static List<Map<String, String>> throughTheConnector() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(WorkOsSinkConnectorConfig.API_KEY_CONFIG, WORKOS.apiKey());
    props.put(WorkOsSinkConnectorConfig.BASE_URL_CONFIG, WORKOS.baseUrl().toString());
    props.put(WorkOsSinkConnectorConfig.RATE_LIMIT_CONFIG, "0");
    props.put(WorkOsSinkConnectorConfig.RULES_CONFIG, RULES);
    TopicPartition tp = new TopicPartition(TOPIC, 0);
    List<ConsumerRecord<byte[], byte[]>> consumed = new ArrayList<>();
    List<SinkRecord> records = new ArrayList<>();
    long offset = 0;
    for (byte[] value : BAD.values()) {
      // As a worker with ByteArrayConverter hands records over: the raw bytes, backed by the
      // consumer record the DLQ write copies.
      ConsumerRecord<byte[], byte[]> record =
          new ConsumerRecord<>(
              TOPIC,
              0,
              offset,
              TIMESTAMP,
              TimestampType.CREATE_TIME,
              1,
              value.length,
              utf8("k"),
              value,
              new org.apache.kafka.common.header.internals.RecordHeaders(),
              java.util.Optional.empty());
      consumed.add(record);
      records.add(
          new InternalSinkRecord(
              new ProcessingContext<>(record),
              new SinkRecord(
                  TOPIC,
                  0,
                  Schema.OPTIONAL_BYTES_SCHEMA,
                  utf8("k"),
                  Schema.OPTIONAL_BYTES_SCHEMA,
                  value,
                  offset,
                  TIMESTAMP,
                  TimestampType.CREATE_TIME)));
      offset++;
    }
    try (RunningTask running = RunningTask.start(props, Set.of(tp))) {
      running.task().put(records);
      assertThat(running.context().reported()).hasSize(BAD.size());
    }
    return consumed.stream().map(r -> auditpipeHeaders(r.headers())).toList();
  }

  private static Map<String, String> auditpipeHeaders(Headers headers) {
    Map<String, String> out = new TreeMap<>();
    for (Header h : headers) {
      if (h.key().startsWith(DeadLetterHeaders.PREFIX)) {
        out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static byte[] order(String fields) {
    return utf8(
        "{\"type\":\"order.paid\",\"org\":\""
            + ORG
            + "\",\"ts\":\"2026-11-23T10:15:30Z\","
            + fields
            + "}");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
