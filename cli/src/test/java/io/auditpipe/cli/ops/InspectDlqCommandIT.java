package io.auditpipe.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.cli.CommandRun;
import io.auditpipe.cli.ExitCodes;
import io.auditpipe.testkit.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectDlqCommandIT {

  private static final String TOPIC = "app.events.auditpipe-dlq";

  @TempDir static Path dir;

  private static KafkaBroker kafka;

  @BeforeAll
  static void startKafkaWithDeadLetters() throws Exception {
    kafka = KafkaBroker.start();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(new NewTopic(TOPIC, 2, (short) 1), new NewTopic("empty", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      ProducerRecord<byte[], byte[]> mapFailure =
          new ProducerRecord<>(
              TOPIC,
              0,
              bytes("user_1"),
              bytes("{\"type\":\"user.signed_in\",\"user\":{\"id\":\"user_1\"}}"),
              List.of(
                  header("__connect.errors.topic", "app.events"),
                  header("__connect.errors.offset", "6"),
                  header(
                      "auditpipe.error.reason",
                      "rules[0] \"user-signed-in\" context.location:"
                          + " path \"/request/ip\" not found"),
                  header("auditpipe.error.stage", "map"),
                  header("auditpipe.error.rule", "user-signed-in")));
      ProducerRecord<byte[], byte[]> rejected =
          new ProducerRecord<>(
              TOPIC,
              1,
              (byte[]) null,
              new byte[] {(byte) 0xc3, 0x28, 0x00, 0x01},
              List.<org.apache.kafka.common.header.Header>of(
                  header("auditpipe.error.stage", "deliver"),
                  header("auditpipe.workos.status", "400"),
                  header("auditpipe.workos.code", "invalid_audit_log")));
      producer.send(mapFailure).get();
      producer.send(rejected).get();
    }
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  @Test
  void printsEachDeadLetterWithItsErrorHeadersFirstAndItsValueAsText() {
    CommandRun run =
        CommandRun.of(
            "dlq", "inspect", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", TOPIC);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    String out = run.out();
    assertThat(out).contains(TOPIC + "-0@0", TOPIC + "-1@0");
    // auditpipe's own headers come first, in reading order, whatever order they were written in.
    assertThat(out.indexOf("  stage ")).isLessThan(out.indexOf("  rule "));
    assertThat(out.indexOf("  rule ")).isLessThan(out.indexOf("  reason "));
    assertThat(out.indexOf("  reason ")).isLessThan(out.indexOf("  connect topic "));
    assertThat(run.outLines())
        .anySatisfy(l -> assertThat(l).matches("\\s+stage\\s+map"))
        .anySatisfy(l -> assertThat(l).matches("\\s+connect offset\\s+6"))
        .anySatisfy(l -> assertThat(l).matches("\\s+workos status\\s+400"))
        .anySatisfy(l -> assertThat(l).matches("\\s+key\\s+user_1  \\(6 bytes\\)"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches("\\s+value\\s+\\{\"type\":\"user.signed_in\".*\\(\\d+ bytes\\)"))
        .anySatisfy(l -> assertThat(l).matches("\\s+value\\s+hex c3280001  \\(4 bytes\\)"));
    assertThat(run.err()).contains("2 dead-lettered record(s) in " + TOPIC);
  }

  @Test
  void anEmptyTopicIsNotAnError() {
    CommandRun run =
        CommandRun.of(
            "dlq", "inspect", "-b", kafka.bootstrapServers(), "-t", "empty", "--timeout", "PT10S");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.err()).contains("0 dead-lettered record(s) in empty");
  }

  @Test
  void aMissingTopicIsReported() {
    CommandRun run =
        CommandRun.of(
            "dlq", "inspect", "-b", kafka.bootstrapServers(), "-t", "no-such", "--timeout", "PT5S");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.err()).contains("no-such: no such topic");
  }

  private static RecordHeader header(String key, String value) {
    return new RecordHeader(key, bytes(value));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
