package io.auditpipe.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.core.avro.AuditEventAvroCodec;
import io.auditpipe.core.avro.AuditEventRecord;
import io.auditpipe.core.avro.AvroDecodeResult;
import io.auditpipe.core.avro.RecordCoordinates;
import io.auditpipe.core.deadletter.DeadLetterHeaders;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.IdempotencyKeys;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.processor.config.ProcessorConfig;
import io.auditpipe.processor.metrics.RuleMetrics;
import io.auditpipe.processor.output.OutputFormat;
import io.auditpipe.processor.output.OutputHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuditTopologyFactoryTest {

  private static final String OUTPUT = "audit-events";
  private static final String DLQ = "audit-events-dlq";
  private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String ORDER_RULES =
      """
      {
        "version": 1,
        "unmatched": "skip",
        "defaults": {
          "organization_id": {"path": "/tenant/org_id"},
          "context": {"location": {"path": "/ip", "default": "0.0.0.0"},
                      "user_agent": {"header": "user-agent", "optional": true}}
        },
        "rules": [
          {
            "name": "order-paid",
            "topics": ["orders"],
            "when": {"path": "/type", "equals": "order.paid"},
            "action": "order.{/status}",
            "occurred_at": {"path": "/ts", "timestamp": "epoch_millis"},
            "actor": {"id": {"path": "/user/id"}, "type": "user",
                      "name": {"path": "/user/name", "optional": true}},
            "targets": [
              {"id": {"path": "/order/id"}, "type": "order"},
              {"for_each": "/items", "id": {"path": "/sku"}, "type": "item"}
            ],
            "metadata": {"total": {"path": "/order/total"},
                         "email": {"path": "/user/email", "fn": "sha256"},
                         "note": {"path": "/note", "optional": true}},
            "idempotency_key": {"path": "/event_id"}
          },
          {
            "name": "order-seen",
            "topics": ["orders"],
            "action": "order.seen",
            "actor": {"id": {"key": "/user"}, "type": "service"},
            "targets": [{"id": {"path": "/order/id"}, "type": "order"}]
          }
        ]
      }
      """;

  private TopologyTestDriver driver;

  @AfterEach
  void closeDriver() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void mapsARecordIntoAvroEventsKeyedByOrganizationWithIdempotencyAndSourceHeaders()
      throws Exception {
    start(ORDER_RULES, OutputFormat.AVRO);
    Headers headers = new RecordHeaders().add("user-agent", utf8("curl/8"));

    input("orders")
        .pipeInput(new TestRecord<>(utf8("{\"user\":\"svc-1\"}"), order("e-1"), headers, T0));

    List<TestRecord<String, byte[]>> out = output().readRecordsToList();
    assertThat(out).hasSize(2);
    TestRecord<String, byte[]> paid = out.get(0);
    assertThat(paid.key()).isEqualTo("org_1");
    AuditEventRecord record = decode(paid.value());
    AuditEvent event = record.mapped().event();
    assertThat(event.action()).isEqualTo("order.paid");
    assertThat(event.occurredAt()).isEqualTo(Instant.ofEpochMilli(1767225600123L));
    assertThat(event.actor().id()).isEqualTo("u1");
    assertThat(event.actor().name()).contains("Ada");
    assertThat(event.targets())
        .extracting(Target::id, Target::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("o-1", "order"),
            org.assertj.core.groups.Tuple.tuple("SKU-1", "item"),
            org.assertj.core.groups.Tuple.tuple("SKU-2", "item"),
            org.assertj.core.groups.Tuple.tuple("SKU-3", "item"));
    assertThat(event.context().location()).isEqualTo("203.0.113.42");
    assertThat(event.context().userAgent()).contains("curl/8");
    assertThat(event.metadata().values())
        .containsEntry("total", MetadataValue.of(129.95))
        .doesNotContainKey("note");
    assertThat(event.metadata().values().get("email").raw().toString())
        .isNotEqualTo("ada@example.com")
        .hasSize(64);
    String key = IdempotencyKeys.fromEventId("e-1", "order-paid", 0);
    assertThat(record.mapped().idempotencyKey()).isEqualTo(key);
    assertThat(record.source()).isEqualTo(new RecordCoordinates("orders", 0, 0));
    assertThat(header(paid, OutputHeaders.IDEMPOTENCY_KEY)).isEqualTo(key);
    assertThat(header(paid, OutputHeaders.RULE)).isEqualTo("order-paid");
    assertThat(header(paid, OutputHeaders.SOURCE_TOPIC)).isEqualTo("orders");
    assertThat(header(paid, OutputHeaders.SOURCE_PARTITION)).isEqualTo("0");
    assertThat(header(paid, OutputHeaders.SOURCE_OFFSET)).isEqualTo("0");
    assertThat(header(paid, OutputHeaders.FORMAT)).isEqualTo("avro");

    AuditEventRecord seen = decode(out.get(1).value());
    assertThat(seen.mapped().rule()).isEqualTo("order-seen");
    assertThat(seen.mapped().event().actor().id()).isEqualTo("svc-1");
    assertThat(seen.mapped().event().occurredAt()).isEqualTo(T0);
    assertThat(seen.mapped().idempotencyKey())
        .isEqualTo(IdempotencyKeys.fromCoordinates("orders", 0, 0, "order-seen", 0));
    assertThat(dlq().isEmpty()).isTrue();
    assertThat(metric("mapped-total", "order-paid")).isEqualTo(1.0);
    assertThat(metric("mapped-total", "order-seen")).isEqualTo(1.0);
  }

  @Test
  void unwrapsTheConnectJsonEnvelopeOfValueAndKey() throws Exception {
    start(ORDER_RULES, OutputFormat.AVRO);
    byte[] value =
        utf8(
            "{\"schema\":{\"type\":\"struct\",\"fields\":[]},\"payload\":"
                + new String(order("e-2"), StandardCharsets.UTF_8)
                + "}");
    byte[] key = utf8("{\"schema\":{\"type\":\"struct\"},\"payload\":{\"user\":\"svc-9\"}}");

    input("orders").pipeInput(new TestRecord<>(key, value, new RecordHeaders(), T0));

    List<TestRecord<String, byte[]>> out = output().readRecordsToList();
    assertThat(out)
        .extracting(r -> decode(r.value()).mapped().rule())
        .containsExactly("order-paid", "order-seen");
    assertThat(decode(out.get(1).value()).mapped().event().actor().id()).isEqualTo("svc-9");
  }

  @Test
  void passesAPlainStringKeyAsText() {
    start(
        """
        {"version": 1, "rules": [{"name": "by-key", "topics": ["users"], "action": "user.changed",
          "organization_id": "org_k", "context": {"location": "10.0.0.1"},
          "actor": {"id": {"key": ""}, "type": "user"}, "targets": []}]}
        """,
        OutputFormat.AVRO);

    input("users").pipeInput(utf8("user-42"), utf8("{}"), T0);

    assertThat(decode(output().readValue()).mapped().event().actor().id()).isEqualTo("user-42");
  }

  @Test
  void selectsTopicsByPatternAndConditions() {
    start(
        """
        {"version": 1, "defaults": {"organization_id": "org_p", "context": {"location": "10.0.0.1"},
                                    "actor": {"id": "system", "type": "service"}},
         "rules": [
           {"name": "big", "topic_pattern": "billing\\\\..*",
            "when": {"all": [{"path": "/amount", "exists": true}, {"not": {"path": "/test", "equals": true}}]},
            "action": {"lookup": {"path": "/kind"}, "table": {"c": "charge.created", "r": "refund.created"}},
            "targets": [{"id": {"path": "/id"}, "type": "payment"}]}
         ]}
        """,
        OutputFormat.AVRO);

    input("billing.eu").pipeInput(null, utf8("{\"id\":\"p1\",\"kind\":\"c\",\"amount\":5}"), T0);
    input("billing.us").pipeInput(null, utf8("{\"id\":\"p2\",\"kind\":\"r\",\"amount\":1}"), T0);
    input("billing.us").pipeInput(null, utf8("{\"id\":\"p3\",\"kind\":\"r\"}"), T0);
    input("billing.us")
        .pipeInput(null, utf8("{\"id\":\"p4\",\"kind\":\"r\",\"amount\":1,\"test\":true}"), T0);

    assertThat(output().readRecordsToList())
        .extracting(r -> decode(r.value()).mapped().event().action())
        .containsExactly("charge.created", "refund.created");
    assertThat(metric("skipped-total", RuleMetrics.UNMATCHED)).isEqualTo(2.0);
  }

  @Test
  void deadLettersUndeserializableRecordsWithOriginalBytesAndHeaders() {
    start(ORDER_RULES, OutputFormat.AVRO);
    byte[] key = {1, 2, 3};
    byte[] value = utf8("{\"secret\": \"hunter2\", oops}");
    Headers headers = new RecordHeaders().add("trace", utf8("t-1"));

    input("orders").pipeInput(new TestRecord<>(key, value, headers, T0));

    TestRecord<byte[], byte[]> dead = dlq().readRecord();
    assertThat(dead.key()).isEqualTo(key);
    assertThat(dead.value()).isEqualTo(value);
    assertThat(header(dead, "trace")).isEqualTo("t-1");
    assertThat(header(dead, DeadLetterHeaders.STAGE)).isEqualTo("convert");
    assertThat(header(dead, DeadLetterHeaders.RULE)).isNull();
    assertThat(header(dead, DeadLetterHeaders.REASON))
        .contains("expected a JSON value")
        .doesNotContain("hunter2")
        .doesNotContain("oops");
    assertThat(header(dead, DeadLetterHeaders.TOPIC)).isEqualTo("orders");
    assertThat(header(dead, DeadLetterHeaders.OFFSET)).isEqualTo("0");
    assertThat(output().isEmpty()).isTrue();
    assertThat(metric("dead-lettered-total", RuleMetrics.NO_RULE)).isEqualTo(1.0);
  }

  @Test
  void deadLettersAMappingFailureNamingTheRuleAndKeepsGoing() {
    start(ORDER_RULES, OutputFormat.AVRO);
    byte[] noUser =
        utf8(
            "{\"type\":\"order.paid\",\"status\":\"paid\",\"ts\":1,\"event_id\":\"e\","
                + "\"tenant\":{\"org_id\":\"org_1\"},\"order\":{\"id\":\"o\",\"total\":1},\"items\":[]}");

    input("orders").pipeInput(utf8("{\"user\":\"s\"}"), noUser, T0);
    input("orders").pipeInput(utf8("{\"user\":\"s\"}"), order("e-3"), T0);

    TestRecord<byte[], byte[]> dead = dlq().readRecord();
    assertThat(dead.value()).isEqualTo(noUser);
    assertThat(header(dead, DeadLetterHeaders.STAGE)).isEqualTo("map");
    assertThat(header(dead, DeadLetterHeaders.RULE)).isEqualTo("order-paid");
    assertThat(header(dead, DeadLetterHeaders.REASON)).contains("actor.id").contains("/user/id");
    assertThat(dlq().isEmpty()).isTrue();
    // The failed record's other rule produced nothing either: a record is mapped all or nothing.
    assertThat(output().readRecordsToList())
        .extracting(r -> decode(r.value()).source().offset())
        .containsExactly(1L, 1L);
    assertThat(metric("dead-lettered-total", "order-paid")).isEqualTo(1.0);
  }

  @Test
  void deadLettersAValidationFailure() {
    start(
        """
        {"version": 1, "rules": [{"name": "note", "topics": ["notes"], "action": "note.added",
          "organization_id": "org_n", "context": {"location": "10.0.0.1"},
          "actor": {"id": "u", "type": "user"}, "targets": [],
          "metadata": {"body": {"path": "/body"}}}]}
        """,
        OutputFormat.AVRO);
    byte[] value = utf8("{\"body\":\"" + "x".repeat(600) + "\"}");

    input("notes").pipeInput(null, value, T0);

    TestRecord<byte[], byte[]> dead = dlq().readRecord();
    assertThat(header(dead, DeadLetterHeaders.STAGE)).isEqualTo("validate");
    assertThat(header(dead, DeadLetterHeaders.RULE)).isEqualTo("note");
    assertThat(header(dead, DeadLetterHeaders.REASON)).contains("500").doesNotContain("xxx");
    assertThat(dead.value()).isEqualTo(value);
  }

  @Test
  void deadLettersUnmatchedRecordsWhenThePolicyIsDlqAndSkipsTombstones() {
    start(
        """
        {"version": 1, "unmatched": "dlq", "rules": [{"name": "only-a", "topics": ["t"],
          "when": {"path": "/kind", "equals": "a"}, "action": "a.done",
          "organization_id": "org_u", "context": {"location": "10.0.0.1"},
          "actor": {"id": "u", "type": "user"}, "targets": []}]}
        """,
        OutputFormat.AVRO);

    input("t").pipeInput(null, utf8("{\"kind\":\"b\"}"), T0);
    input("t").pipeInput(utf8("gone"), null, T0);
    input("t").pipeInput(null, utf8("{\"kind\":\"a\"}"), T0);

    TestRecord<byte[], byte[]> dead = dlq().readRecord();
    assertThat(header(dead, DeadLetterHeaders.STAGE)).isEqualTo("map");
    assertThat(header(dead, DeadLetterHeaders.RULE)).isNull();
    assertThat(header(dead, DeadLetterHeaders.OFFSET)).isEqualTo("0");
    assertThat(dlq().isEmpty()).isTrue();
    assertThat(output().readRecordsToList()).hasSize(1);
    assertThat(metric("dead-lettered-total", RuleMetrics.UNMATCHED)).isEqualTo(1.0);
    assertThat(metric("skipped-total", "(tombstone)")).isEqualTo(1.0);
  }

  @Test
  void appliesTheUnmatchedPolicyOfTheGroupReadingTheTopic() {
    start(
        """
        {"version": 1, "unmatched": "skip",
         "groups": {"strict": {"topics": ["t"], "unmatched": "dlq"}},
         "rules": [
           {"name": "only-a", "group": "strict", "when": {"path": "/kind", "equals": "a"},
            "action": "a.done", "organization_id": "org_u", "context": {"location": "10.0.0.1"},
            "actor": {"id": "u", "type": "user"}, "targets": []},
           {"name": "only-paid", "topics": ["orders"], "when": {"path": "/type", "equals": "order.paid"},
            "action": "order.paid", "organization_id": "org_s", "context": {"location": "10.0.0.1"},
            "actor": {"id": "u", "type": "user"}, "targets": []}]}
        """,
        OutputFormat.AVRO);

    input("t").pipeInput(null, utf8("{\"kind\":\"b\"}"), T0);
    input("orders").pipeInput(null, utf8("{\"type\":\"other\"}"), T0);

    assertThat(header(dlq().readRecord(), DeadLetterHeaders.TOPIC)).isEqualTo("t");
    assertThat(dlq().isEmpty()).isTrue();
    assertThat(metric("dead-lettered-total", RuleMetrics.UNMATCHED)).isEqualTo(1.0);
    assertThat(metric("skipped-total", RuleMetrics.UNMATCHED)).isEqualTo(1.0);
  }

  @Test
  void skipsUnmatchedRecordsByDefault() {
    start(
        """
        {"version": 1, "rules": [{"name": "only-paid", "topics": ["orders"],
          "when": {"path": "/type", "equals": "order.paid"}, "action": "order.paid",
          "organization_id": "org_s", "context": {"location": "10.0.0.1"},
          "actor": {"id": "u", "type": "user"}, "targets": []}]}
        """,
        OutputFormat.AVRO);

    input("orders").pipeInput(null, utf8("{\"type\":\"other\"}"), T0);

    assertThat(output().isEmpty()).isTrue();
    assertThat(dlq().isEmpty()).isTrue();
    assertThat(metric("skipped-total", RuleMetrics.UNMATCHED)).isEqualTo(1.0);
  }

  @Test
  void writesJsonWhenSelected() throws Exception {
    start(ORDER_RULES, OutputFormat.JSON);

    input("orders").pipeInput(utf8("{\"user\":\"s\"}"), order("e-4"), T0);

    TestRecord<String, byte[]> out = output().readRecord();
    JsonNode json = JSON.readTree(out.value());
    assertThat(json.path("organization_id").asText()).isEqualTo("org_1");
    assertThat(json.path("event").path("action").asText()).isEqualTo("order.paid");
    assertThat(json.path("event").path("occurred_at").asText())
        .isEqualTo("2026-01-01T00:00:00.123Z");
    assertThat(json.path("idempotency_key").asText())
        .isEqualTo(IdempotencyKeys.fromEventId("e-4", "order-paid", 0));
    assertThat(json.path("source").path("topic").asText()).isEqualTo("orders");
    assertThat(json.path("source").path("rule").asText()).isEqualTo("order-paid");
    assertThat(header(out, OutputHeaders.FORMAT)).isEqualTo("json");
  }

  @Test
  void refusesRulesThatWouldReadTheirOwnOutput() throws Exception {
    CompiledRules rules =
        RulesCompiler.compile(
            """
            {"version": 1, "rules": [{"name": "all", "topic_pattern": "audit.*", "action": "x",
              "organization_id": "o", "context": {"location": "l"},
              "actor": {"id": "u", "type": "user"}, "targets": []}]}
            """);

    assertThatThrownBy(() -> AuditTopologyFactory.build(rules, OUTPUT, OutputFormat.AVRO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("audit-events");
  }

  @Test
  void refusesRulesThatResolveOrganizationsByExternalId() throws Exception {
    CompiledRules rules =
        RulesCompiler.compile(
            """
            {"version": 1, "rules": [{"name": "by-tenant", "topics": ["app"], "action": "x",
              "organization_id": {"external_id": "{/tenant}"}, "context": {"location": "l"},
              "actor": {"id": "u", "type": "user"}, "targets": []}]}
            """);

    // Compiled without a resolver, every event would be dead-lettered without asking WorkOS.
    assertThatThrownBy(() -> AuditTopologyFactory.build(rules, OUTPUT, OutputFormat.AVRO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("rules[0] \"by-tenant\": its organization_id resolves")
        .hasMessageContaining("connector");
  }

  @Test
  void deadLettersARecordWhoseMappingThrowsUnexpectedly() {
    CompiledRules throwing =
        new CompiledRules() {
          @Override
          public io.auditpipe.core.rules.MappingOutcome map(
              JsonNode value, io.auditpipe.core.rules.RecordContext context) {
            throw new IllegalStateException("bug quoting " + value);
          }

          @Override
          public JsonNode readValue(byte[] json) throws java.io.IOException {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
          }

          @Override
          public java.util.Set<String> topics() {
            return java.util.Set.of("t");
          }

          @Override
          public Optional<java.util.regex.Pattern> topicPattern() {
            return Optional.empty();
          }

          @Override
          public io.auditpipe.core.rules.UnmatchedPolicy unmatchedPolicy() {
            return io.auditpipe.core.rules.UnmatchedPolicy.SKIP;
          }

          @Override
          public List<String> ruleNames() {
            return List.of("r");
          }

          @Override
          public List<io.auditpipe.core.rules.RuleSummary> rules() {
            return List.of();
          }
        };
    driver =
        new TopologyTestDriver(
            AuditTopologyFactory.build(throwing, OUTPUT, OutputFormat.AVRO), properties());

    input("t").pipeInput(null, utf8("{\"secret\":\"s3\"}"), T0);
    input("t").pipeInput(null, utf8("{}"), T0);

    List<TestRecord<byte[], byte[]>> dead = dlq().readRecordsToList();
    assertThat(dead).hasSize(2);
    assertThat(header(dead.get(0), DeadLetterHeaders.STAGE)).isEqualTo("map");
    assertThat(header(dead.get(0), DeadLetterHeaders.REASON))
        .contains("IllegalStateException")
        .doesNotContain("s3");
  }

  private void start(String rulesDocument, OutputFormat format) {
    CompiledRules rules;
    try {
      rules = RulesCompiler.compile(rulesDocument);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    driver =
        new TopologyTestDriver(AuditTopologyFactory.build(rules, OUTPUT, format), properties());
  }

  private static Properties properties() {
    return new ProcessorConfig(
            Map.of(
                ProcessorConfig.RULES_PATH_CONFIG,
                "unused.json",
                ProcessorConfig.DLQ_TOPIC_CONFIG,
                DLQ,
                "bootstrap.servers",
                "unused:9092"))
        .streamsProperties();
  }

  private TestInputTopic<byte[], byte[]> input(String topic) {
    return driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private TestOutputTopic<String, byte[]> output() {
    return driver.createOutputTopic(OUTPUT, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private TestOutputTopic<byte[], byte[]> dlq() {
    return driver.createOutputTopic(DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private double metric(String name, String rule) {
    for (Map.Entry<MetricName, ? extends Metric> e : driver.metrics().entrySet()) {
      MetricName n = e.getKey();
      if (n.group().equals(RuleMetrics.GROUP)
          && n.name().equals(name)
          && rule.equals(n.tags().get(RuleMetrics.SCOPE + "-id"))) {
        return ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    return 0.0;
  }

  private static AuditEventRecord decode(byte[] value) {
    AvroDecodeResult result = AuditEventAvroCodec.decode(value);
    assertThat(result).isInstanceOf(AvroDecodeResult.Decoded.class);
    return ((AvroDecodeResult.Decoded) result).record();
  }

  private static String header(TestRecord<?, ?> record, String name) {
    return Optional.ofNullable(record.headers().lastHeader(name))
        .map(h -> new String(h.value(), StandardCharsets.UTF_8))
        .orElse(null);
  }

  private static byte[] order(String eventId) {
    return utf8(
        """
        {"event_id":"%s","type":"order.paid","status":"paid","ts":1767225600123,
         "tenant":{"org_id":"org_1"},"ip":"203.0.113.42",
         "user":{"id":"u1","name":"Ada","email":"ada@example.com"},
         "order":{"id":"o-1","total":129.95},
         "items":[{"sku":"SKU-1"},{"sku":"SKU-2"},{"sku":"SKU-3"}]}
        """
            .formatted(eventId));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
