package io.auditpipe.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.cli.CommandRun;
import io.auditpipe.cli.ExitCodes;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RecordContext;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import io.auditpipe.testkit.kafka.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auditpipe reconcile} against an in-process broker and the emulator's exports. The test
 * plays the connector: it maps the records with the same rules and delivers the events it chooses.
 */
class ReconcileCommandIT {

  private static final String ORG_A = "org_01RECONCILEA000000000000";
  private static final String ORG_B = "org_01RECONCILEB000000000000";
  private static final ObjectMapper MAPPER = new ObjectMapper();
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
            "name": "thing-done",
            "topics": ["TOPIC"],
            "when": {"path": "/type", "equals": "thing.done"},
            "action": "thing.done",
            "actor": {"id": {"path": "/user"}, "type": "user"},
            "targets": [{"id": {"path": "/thing"}, "type": "thing"}],
            "metadata": {"n": {"path": "/n"}}
          }
        ]
      }
      """;

  @RegisterExtension
  static WorkOsEmulatorExtension workos =
      WorkOsEmulatorExtension.builder()
          .organization(ORG_A, "a")
          .organization(ORG_B, "b")
          .schemaValidation(false)
          .build();

  @TempDir static Path dir;

  private static KafkaBroker kafka;

  // One instant for the class's shared fixture, taken once: tests compare with it, not with now.
  @SuppressWarnings("TimeInStaticInitializer")
  private static final Instant AT =
      Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = KafkaBroker.start();
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  @Test
  void everythingDeliveredIsNothingMissing() throws Exception {
    Source source = source("all", 4);
    deliver(source, List.of(0L, 1L, 2L, 3L));

    CommandRun run = reconcile(source, "--format", "json");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    JsonNode json = MAPPER.readTree(run.out());
    assertThat(json.path("expected").asLong()).isEqualTo(4);
    assertThat(json.path("found").asLong()).isEqualTo(4);
    assertThat(json.path("missing")).isEmpty();
    assertThat(json.path("unexpected")).isEmpty();
    assertThat(run.err()).contains("4 source record(s) read", "2 organization(s) to export");
  }

  @Test
  void rulesSelectingByPatternReadTheTopicsThePatternMatches() throws Exception {
    Source source = source("pattern", 3);
    Files.writeString(
        source.rules,
        Files.readString(source.rules)
            .replace(
                "\"topics\": [\"" + source.topic + "\"]",
                "\"topic_pattern\": \"reconcile\\\\.patt.+\""));
    deliver(source, List.of(0L, 1L));

    CommandRun run = reconcile(source, "--format", "json");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
    JsonNode json = MAPPER.readTree(run.out());
    assertThat(json.path("expected").asLong()).isEqualTo(3);
    assertThat(json.path("missing")).hasSize(1);
    assertThat(json.path("missing").get(0).path("offset").asLong()).isEqualTo(2);
  }

  @Test
  void withheldEventsAreReportedMissingWithTheirCoordinatesAndRule() throws Exception {
    Source source = source("subset", 5);
    deliver(source, List.of(0L, 2L, 4L));
    Path missing = dir.resolve("missing.jsonl");

    CommandRun run = reconcile(source, "--out", missing.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
    assertThat(run.outLines()).contains("missing    2");
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(missing)) {
      lines.add(MAPPER.readTree(l));
    }
    assertThat(lines)
        .extracting(
            n ->
                n.path("topic").asText()
                    + "-"
                    + n.path("partition").asInt()
                    + "@"
                    + n.path("offset").asLong()
                    + " "
                    + n.path("rule").asText())
        .containsExactly(source.topic + "-0@1 thing-done", source.topic + "-0@3 thing-done");
  }

  @Test
  void anEventNoRecordMadeIsUnexpectedAndRecordsNotDeliveredByDesignAreNotMissing()
      throws Exception {
    Source source = source("extra", 2);
    String topic = source.topic;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      // offset 2: no rule selects it (skipped); 3: a tombstone (skipped); 4: the rule cannot map
      // it (no /user: dead-lettered as map); 5: mapped, but WorkOS refused it and the connector
      // dead-lettered it (in the DLQ below).
      producer.send(new ProducerRecord<>(topic, 0, null, bytes("{\"type\":\"other\"}"))).get();
      producer.send(new ProducerRecord<>(topic, 0, null, (byte[]) null)).get();
      producer
          .send(
              new ProducerRecord<>(
                  topic, 0, null, bytes(value(ORG_A, 4).replace("\"user\"", "\"nobody\""))))
          .get();
      producer.send(new ProducerRecord<>(topic, 0, null, bytes(value(ORG_B, 5)))).get();
      createTopic(topic + ".dlq");
      List<Header> headers =
          List.of(
              new RecordHeader("auditpipe.error.stage", bytes("deliver")),
              new RecordHeader("auditpipe.error.rule", bytes("thing-done")),
              new RecordHeader("__connect.errors.topic", bytes(topic)),
              new RecordHeader("__connect.errors.partition", bytes("0")),
              new RecordHeader("__connect.errors.offset", bytes("5")));
      producer
          .send(
              new ProducerRecord<>(
                  topic + ".dlq", 0, (byte[]) null, bytes(value(ORG_B, 5)), headers))
          .get();
    }
    deliver(source, List.of(0L, 1L));
    String extra =
        "{\"organization_id\":\""
            + ORG_A
            + "\",\"event\":{\"action\":\"thing.done\",\"occurred_at\":\""
            + AT
            + "\",\"actor\":{\"id\":\"mallory\",\"type\":\"user\"},\"targets\":[{\"id\":\"t0\",\"type\":\"thing\"}],"
            + "\"context\":{\"location\":\"192.0.2.1\"},\"metadata\":{\"n\":0}}}";
    post(extra, "extra-1");

    CommandRun run = reconcile(source, "--dlq-topic", topic + ".dlq");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines())
        .contains(
            "missing    0",
            "unexpected 1",
            "not delivered by design: 2 dead-lettered or unmappable, 2 skipped")
        .anySatisfy(l -> assertThat(l).startsWith("unexpected " + ORG_A + "  event "))
        .anySatisfy(
            l -> assertThat(l).startsWith("unmappable " + topic + "-0@4  map  rule thing-done"))
        .anySatisfy(
            l -> assertThat(l).startsWith("dlq        " + topic + "-0@5  dead-lettered (deliver)"));
  }

  private record Source(String topic, Path rules) {}

  /** A topic with {@code n} mappable records alternating between two organizations. */
  private static Source source(String name, int n) throws Exception {
    String topic = "reconcile." + name;
    createTopic(topic);
    Path rules = dir.resolve(name + "-rules.json");
    Files.writeString(rules, RULES.replace("TOPIC", topic));
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < n; i++) {
        producer
            .send(
                new ProducerRecord<>(
                    topic, 0, bytes("k" + i), bytes(value(i % 2 == 0 ? ORG_A : ORG_B, i))))
            .get();
      }
    }
    return new Source(topic, rules);
  }

  private static String value(String org, int i) {
    return "{\"type\":\"thing.done\",\"org\":\""
        + org
        + "\",\"at\":\""
        + AT.plusSeconds(i)
        + "\",\"ip\":\"192.0.2.1\",\"user\":\"u"
        + i
        + "\",\"thing\":\"t"
        + i
        + "\",\"n\":"
        + i
        + "}";
  }

  /** Delivers the events of the records at {@code offsets} as the connector would. */
  private static void deliver(Source source, List<Long> offsets) throws Exception {
    CompiledRules rules = RulesCompiler.compile(Files.readString(source.rules));
    for (long offset : offsets) {
      String value = value(offset % 2 == 0 ? ORG_A : ORG_B, (int) offset);
      RecordContext context =
          new RecordContext(source.topic, 0, offset, Optional.empty(), Optional.empty(), Map.of());
      MappingOutcome outcome = rules.map(MAPPER.readTree(value), context);
      for (MappedEvent e : ((MappingOutcome.Mapped) outcome).events()) {
        post(
            new String(AuditEventJson.toRequestBody(e.event()), StandardCharsets.UTF_8),
            e.idempotencyKey());
      }
    }
  }

  private static void post(String body, String idempotencyKey) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(workos.baseUrl() + "/audit_logs/events"))
                    .header("Authorization", "Bearer " + workos.apiKey())
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", idempotencyKey)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  private static CommandRun reconcile(Source source, String... options) throws Exception {
    Path key = dir.resolve("api-key");
    Files.writeString(key, workos.apiKey());
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "reconcile",
            source.rules.toString(),
            "-b",
            kafka.bootstrapServers(),
            "--workos-url",
            workos.baseUrl().toString(),
            "--api-key-file",
            key.toString(),
            "--poll-interval",
            "PT0.1S",
            "--timeout",
            "PT60S"));
    args.addAll(List.of(options));
    return CommandRun.of(args.toArray(String[]::new));
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", kafka.bootstrapServers()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static void createTopic(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
