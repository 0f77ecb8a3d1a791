package io.auditpipe.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.cli.CommandRun;
import io.auditpipe.cli.ExitCodes;
import io.auditpipe.testkit.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayDlqCommandIT {

  @TempDir static Path dir;

  private static KafkaBroker kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = KafkaBroker.start();
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  @Test
  void replaysExactlyTheSelectedRecordsWithTheirOriginalKeyValueAndHeaders() throws Exception {
    String source = deadLetters("filter");

    CommandRun run = replay("filter", "--stage", "map", "--rule", "r1");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    List<ConsumerRecord<byte[], byte[]>> replayed = read(source);
    assertThat(replayed).extracting(r -> text(r.key())).containsExactly("k0", "k2", "k4");
    assertThat(replayed).extracting(r -> text(r.value())).containsExactly("v0", "v2", "v4");
    for (ConsumerRecord<byte[], byte[]> r : replayed) {
      assertThat(headerNames(r)).containsExactly("trace");
      assertThat(text(r.headers().lastHeader("trace").value())).isEqualTo("t-" + text(r.key()));
    }
    assertThat(run.out())
        .contains(
            "replayed 3 of 5 dead letter(s)", "consumer group auditpipe-dlq-replay-filter.dlq");
  }

  @Test
  void keepsTheOriginalRecordsOwnAuditpipeHeadersAndFollowsTheProcessorsSourceHeader()
      throws Exception {
    String source = deadLetters("status");

    CommandRun run = replay("status", "--workos-status", "400");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    List<ConsumerRecord<byte[], byte[]>> replayed = read(source);
    assertThat(replayed).extracting(r -> text(r.key())).containsExactly("k1");
    assertThat(headerNames(replayed.get(0))).containsExactly("trace", "auditpipe.idempotency.key");
  }

  @Test
  void aDryRunProducesAndCommitsNothing() throws Exception {
    String source = deadLetters("dry");

    CommandRun dry = replay("dry", "--dry-run", "--rule", "r1");

    assertThat(dry.exitCode()).as(dry.err()).isEqualTo(ExitCodes.OK);
    assertThat(dry.outLines())
        .filteredOn(l -> l.startsWith("would replay "))
        .containsExactly(
            "would replay dry.dlq-0@0 -> dry.source  stage=map  rule=r1",
            "would replay dry.dlq-0@2 -> dry.source  stage=map  rule=r1",
            "would replay dry.dlq-0@4 -> dry.source  stage=map  rule=r0, r1");
    assertThat(dry.out()).contains("nothing produced, nothing committed");
    assertThat(read(source)).isEmpty();

    CommandRun real = replay("dry");

    assertThat(real.exitCode()).as(real.err()).isEqualTo(ExitCodes.OK);
    assertThat(read(source)).hasSize(5);
  }

  @Test
  void anInterruptedReplayResumesWithoutReplayingTwice() throws Exception {
    String source = deadLetters("resume");

    CommandRun first = replay("resume", "--max-records", "2");
    CommandRun second = replay("resume");
    CommandRun third = replay("resume");

    assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCodes.OK);
    assertThat(first.out()).contains("replayed 2 of", "run again to resume");
    assertThat(second.exitCode()).as(second.err()).isEqualTo(ExitCodes.OK);
    assertThat(second.out()).contains("replayed 3 of 3 dead letter(s)");
    assertThat(third.out()).contains("replayed 0 of 0 dead letter(s)");
    assertThat(read(source))
        .extracting(r -> text(r.key()))
        .containsExactly("k0", "k1", "k2", "k3", "k4");
  }

  @Test
  void offsetAndTimeRangesSelectDeadLettersByTheirPlaceInTheDlq() throws Exception {
    String source = deadLetters("range");

    CommandRun future = replay("range", "--since", "2999-01-01T00:00:00Z");
    CommandRun offsets =
        replay("range", "--group", "other", "--from-offset", "2", "--to-offset", "4");

    assertThat(future.exitCode()).as(future.err()).isEqualTo(ExitCodes.OK);
    assertThat(future.out()).contains("replayed 0 of 5 dead letter(s)");
    assertThat(offsets.exitCode()).as(offsets.err()).isEqualTo(ExitCodes.OK);
    assertThat(offsets.out()).contains("consumer group other");
    assertThat(read(source)).extracting(r -> text(r.key())).containsExactly("k2", "k3");
  }

  @Test
  void toTopicOverridesTheDestination() throws Exception {
    String source = deadLetters("override");
    createTopic("override.elsewhere");

    CommandRun run = replay("override", "--to-topic", "override.elsewhere", "--stage", "convert");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(read("override.elsewhere")).extracting(r -> text(r.key())).containsExactly("k3");
    assertThat(read(source)).isEmpty();
  }

  private static CommandRun replay(String name, String... options) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("dlq", "replay", "-b", kafka.bootstrapServers(), "-t", name + ".dlq"));
    args.addAll(List.of(options));
    return CommandRun.of(args.toArray(String[]::new));
  }

  /**
   * Five dead letters in {@code <name>.dlq} from {@code <name>.source}: as the connector writes
   * them (Connect context headers) and, for k1, as the processor does (auditpipe.error.topic).
   */
  private static String deadLetters(String name) throws Exception {
    String source = name + ".source";
    createTopic(name + ".dlq");
    createTopic(source);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.send(connectDeadLetter(name, 0, "map", "r1")).get();
      producer
          .send(
              new ProducerRecord<>(
                  name + ".dlq",
                  0,
                  bytes("k1"),
                  bytes("v1"),
                  List.<Header>of(
                      header("trace", "t-k1"),
                      header("auditpipe.idempotency.key", "idem-1"),
                      header("auditpipe.error.stage", "deliver"),
                      header("auditpipe.error.rule", "r2"),
                      header("auditpipe.error.reason", "WorkOS refused it"),
                      header("auditpipe.error.topic", source),
                      header("auditpipe.error.partition", "0"),
                      header("auditpipe.error.offset", "1"),
                      header("auditpipe.workos.status", "400"),
                      header("auditpipe.workos.code", "invalid_audit_log"))))
          .get();
      producer.send(connectDeadLetter(name, 2, "map", "r1")).get();
      producer.send(connectDeadLetter(name, 3, "convert", "")).get();
      producer.send(connectDeadLetter(name, 4, "map", "r0, r1")).get();
    }
    return source;
  }

  private static ProducerRecord<byte[], byte[]> connectDeadLetter(
      String name, int i, String stage, String rule) {
    List<Header> headers = new ArrayList<>();
    headers.add(header("trace", "t-k" + i));
    headers.add(header("auditpipe.error.stage", stage));
    if (!rule.isEmpty()) {
      headers.add(header("auditpipe.error.rule", rule));
    }
    headers.add(header("auditpipe.error.reason", "rules[0] path not found"));
    headers.add(header("__connect.errors.topic", name + ".source"));
    headers.add(header("__connect.errors.partition", "0"));
    headers.add(header("__connect.errors.offset", Integer.toString(i)));
    return new ProducerRecord<>(name + ".dlq", 0, bytes("k" + i), bytes("v" + i), headers);
  }

  private static void createTopic(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** Everything {@code topic} holds now, without a consumer group. */
  private static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private static List<String> headerNames(ConsumerRecord<byte[], byte[]> record) {
    List<String> names = new ArrayList<>();
    record.headers().forEach(h -> names.add(h.key()));
    return names;
  }

  private static RecordHeader header(String key, String value) {
    return new RecordHeader(key, bytes(value));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
