package io.auditpipe.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.cli.ExitCodes;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RecordContext;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.emulator.WorkOsEmulator;
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
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconcile over a large range in a separate JVM with a small heap: the run docs/reconcile.md
 * reports. Not part of the normal build (it takes minutes); run it with {@code
 * -Dreconcile.scale.records=100000} (and optionally {@code -Dreconcile.scale.heap=96m}, {@code
 * -Dreconcile.scale.window.events=5000}). It delivers every event but every 1000th to the emulator
 * and checks reconcile reports exactly those missing; the wall time is printed, not asserted.
 */
class ReconcileAtScaleIT {

  private static final String TOPIC = "scale.events";
  private static final String API_KEY = "sk_test_auditpipe_scale_41a0";
  private static final List<String> ORGS =
      List.of(
          "org_01SCALEA0000000000000000",
          "org_01SCALEB0000000000000000",
          "org_01SCALEC0000000000000000",
          "org_01SCALED0000000000000000");
  private static final int WITHHELD_EVERY = 1000;
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
            "topics": ["scale.events"],
            "action": "thing.done",
            "actor": {"id": {"path": "/user"}, "type": "user", "name": {"path": "/name"}},
            "targets": [{"id": {"path": "/thing"}, "type": "thing"}],
            "metadata": {"n": {"path": "/n"}, "note": {"path": "/note"}}
          }
        ]
      }
      """;

  @TempDir Path dir;

  @Test
  void aLargeRangeIsReconciledInASmallHeap() throws Exception {
    int records = Integer.getInteger("reconcile.scale.records", 0);
    assumeTrue(records > 0, "set -Dreconcile.scale.records=N to run");
    String heap = System.getProperty("reconcile.scale.heap", "96m");
    String windowEvents = System.getProperty("reconcile.scale.window.events", "5000");
    Instant t0 = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    Path rules = Files.writeString(dir.resolve("rules.json"), RULES);

    Properties broker = new Properties();
    broker.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
    EmbeddedKafkaCluster kafka = new EmbeddedKafkaCluster(1, broker);
    WorkOsEmulator.Builder builder =
        WorkOsEmulator.builder().apiKey(API_KEY).noRateLimit().schemaValidation(false);
    ORGS.forEach(o -> builder.organization(o, o, Optional.empty()));
    WorkOsEmulator workos = builder.start();
    try {
      kafka.start();
      kafka.createTopic(TOPIC, 3);
      long started = System.nanoTime();
      List<String> values = new ArrayList<>(records);
      AtomicInteger unsent = new AtomicInteger();
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of(
                  "bootstrap.servers", kafka.bootstrapServers(),
                  "linger.ms", "50",
                  "batch.size", "262144",
                  "delivery.timeout.ms", "900000",
                  "request.timeout.ms", "120000"),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        for (int i = 0; i < records; i++) {
          String value = value(i, t0);
          values.add(value);
          // One partition per record number modulo 3: offsets follow, so the test knows them.
          var unused =
              producer.send(
                  new ProducerRecord<>(TOPIC, i % 3, null, bytes(value)),
                  (m, e) -> {
                    if (e != null) {
                      unsent.incrementAndGet();
                    }
                  });
        }
        producer.flush();
      }
      assertThat(unsent.get()).as("records the producer failed to send").isZero();
      System.out.printf("scale: %d records produced in %d s%n", records, secondsSince(started));

      started = System.nanoTime();
      int delivered = deliver(workos, rules, values);
      System.out.printf("scale: %d events delivered in %d s%n", delivered, secondsSince(started));

      Path out = dir.resolve("out.json");
      Path err = dir.resolve("err.txt");
      Path key = Files.writeString(dir.resolve("api-key"), API_KEY);
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx" + heap,
                  "-cp",
                  System.getProperty(
                      "surefire.test.class.path", System.getProperty("java.class.path")),
                  "io.auditpipe.cli.AuditpipeCommand",
                  "reconcile",
                  rules.toString(),
                  "-b",
                  kafka.bootstrapServers(),
                  "--workos-url",
                  workos.baseUrl().toString(),
                  "--api-key-file",
                  key.toString(),
                  "--poll-interval",
                  "PT0.2S",
                  "--timeout",
                  "PT30M",
                  "--max-window-events",
                  windowEvents,
                  "--spill-dir",
                  dir.resolve("spill").toString(),
                  "--format",
                  "json"));
      started = System.nanoTime();
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      assertThat(p.waitFor(40, TimeUnit.MINUTES)).isTrue();
      long seconds = secondsSince(started);
      String stderr = Files.readString(err);
      System.out.println(stderr.lines().filter(l -> !l.contains("requested")).limit(30).toList());
      System.out.printf(
          "RESULT reconcile_scale records=%d heap=%s max_window_events=%s seconds=%d exit=%d%n",
          records, heap, windowEvents, seconds, p.exitValue());

      var report = MAPPER.readTree(out.toFile());
      System.out.printf(
          "scale: records %d, expected %d, found %d, missing %d, unexpected %d%n",
          report.path("records").asLong(),
          report.path("expected").asLong(),
          report.path("found").asLong(),
          report.path("missing").size(),
          report.path("unexpected").size());
      assertThat(p.exitValue()).as(stderr).isEqualTo(ExitCodes.EVENTS_MISSING);
      int withheld = (records + WITHHELD_EVERY - 1) / WITHHELD_EVERY;
      assertThat(report.path("records").asLong()).isEqualTo(records);
      assertThat(report.path("expected").asLong()).isEqualTo(records);
      assertThat(report.path("found").asLong()).isEqualTo(records - withheld);
      assertThat(report.path("missing")).hasSize(withheld);
      assertThat(report.path("missing").get(0).path("rule").asText()).isEqualTo("thing-done");
      assertThat(report.path("unexpected")).isEmpty();
      assertThat(stderr).doesNotContain("OutOfMemoryError");
    } finally {
      workos.close();
      kafka.stop();
    }
  }

  /** Every record's event but every 1000th, as the connector would send it (same key). */
  private static int deliver(WorkOsEmulator workos, Path rules, List<String> values)
      throws Exception {
    CompiledRules compiled = RulesCompiler.compile(Files.readString(rules));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Semaphore inFlight = new Semaphore(32);
    AtomicInteger failed = new AtomicInteger();
    List<CompletableFuture<?>> sends = new ArrayList<>();
    int delivered = 0;
    long[] offsets = new long[3];
    for (int i = 0; i < values.size(); i++) {
      long offset = offsets[i % 3]++;
      if (i % WITHHELD_EVERY == 0) {
        continue;
      }
      RecordContext context =
          new RecordContext(TOPIC, i % 3, offset, Optional.empty(), Optional.empty(), Map.of());
      MappingOutcome outcome = compiled.map(MAPPER.readTree(values.get(i)), context);
      for (MappedEvent e : ((MappingOutcome.Mapped) outcome).events()) {
        inFlight.acquire();
        sends.add(
            http.sendAsync(
                    HttpRequest.newBuilder(URI.create(workos.baseUrl() + "/audit_logs/events"))
                        .header("Authorization", "Bearer " + API_KEY)
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", e.idempotencyKey())
                        .POST(
                            HttpRequest.BodyPublishers.ofByteArray(
                                AuditEventJson.toRequestBody(e.event())))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .whenComplete(
                    (r, t) -> {
                      inFlight.release();
                      if (t != null || r.statusCode() != 201) {
                        failed.incrementAndGet();
                      }
                    }));
        delivered++;
      }
      if (sends.size() > 10_000) {
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        sends.clear();
      }
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    assertThat(failed.get()).as("failed deliveries").isZero();
    return delivered;
  }

  private static String value(int i, Instant t0) {
    return "{\"org\":\""
        + ORGS.get(i % ORGS.size())
        + "\",\"at\":\""
        + t0.plusMillis(i * 1_500L)
        + "\",\"ip\":\"192.0.2.1\",\"user\":\"user-"
        + (i % 997)
        + "\",\"name\":\"User "
        + (i % 997)
        + "\",\"thing\":\"thing-"
        + i
        + "\",\"n\":"
        + i
        + ",\"note\":\"a note long enough to make the row look like a real audit event, #"
        + i
        + "\"}";
  }

  private static long secondsSince(long nanos) {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - nanos);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
