package io.auditpipe.cli.ops;

import io.auditpipe.cli.ExitCodes;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code auditpipe dlq replay}: produces selected dead letters' original key, value and headers
 * back to their source topic, without the error headers. Its consumer group records how far it got:
 * offsets are committed only after the batch they cover has been flushed to Kafka, so an
 * interrupted replay resumes after the last committed batch.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Re-drives dead letters after a fix: each selected record's original key, value and"
          + " headers are produced to its source topic (from auditpipe.error.topic or"
          + " __connect.errors.topic, or --to-topic), without the auditpipe.error.*,"
          + " auditpipe.workos.* and __connect.errors.* headers.",
      "Reads from where its consumer group (--group) stopped to the topic's end at start, and"
          + " commits after each produced batch is flushed, so a second run resumes without"
          + " replaying twice. Filters combine with 'and'; a repeated filter means 'any of'."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Success (also when nothing was selected).",
      "1:Kafka cannot be reached, the topic does not exist, a produce failed, or a selected"
          + " record has no source topic and no --to-topic was given (the replay stops before it).",
      "2:Invalid command-line usage."
    })
public final class ReplayDlqCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private KafkaOptions kafka;

  @Option(
      names = {"-t", "--topic"},
      required = true,
      paramLabel = "TOPIC",
      description = "The dead-letter topic.")
  private String topic;

  @Option(
      names = "--to-topic",
      paramLabel = "TOPIC",
      description = "Produce to TOPIC instead of each record's source topic.")
  private Optional<String> toTopic = Optional.empty();

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      description =
          "The consumer group recording how far the replay got (default:"
              + " auditpipe-dlq-replay-<topic>). Use a new group to replay records an earlier"
              + " run already passed, e.g. with other filters.")
  private Optional<String> group = Optional.empty();

  @Option(
      names = "--stage",
      paramLabel = "STAGE",
      split = ",",
      description = "Only dead letters of these stages (convert, map, validate, deliver).")
  private Set<String> stages = new HashSet<>();

  @Option(
      names = "--rule",
      paramLabel = "RULE",
      split = ",",
      description = "Only dead letters naming one of these rules.")
  private Set<String> rules = new HashSet<>();

  @Option(
      names = "--workos-status",
      paramLabel = "STATUS",
      split = ",",
      description = "Only dead letters WorkOS refused with one of these HTTP statuses.")
  private Set<Integer> statuses = new HashSet<>();

  @Option(
      names = "--since",
      paramLabel = "INSTANT",
      description = "Only dead letters written at or after INSTANT (e.g. 2026-12-07T03:00:00Z).")
  private Optional<Instant> since = Optional.empty();

  @Option(
      names = "--until",
      paramLabel = "INSTANT",
      description = "Only dead letters written before INSTANT.")
  private Optional<Instant> until = Optional.empty();

  @Option(
      names = "--from-offset",
      paramLabel = "OFFSET",
      description = "Only dead letters at or after OFFSET in their DLQ partition.")
  private Optional<Long> fromOffset = Optional.empty();

  @Option(
      names = "--to-offset",
      paramLabel = "OFFSET",
      description = "Only dead letters before OFFSET in their DLQ partition.")
  private Optional<Long> toOffset = Optional.empty();

  @Option(
      names = "--max-records",
      paramLabel = "N",
      description = "Stop after replaying N records; a second run resumes after them.")
  private Optional<Long> maxRecords = Optional.empty();

  @Option(
      names = "--dry-run",
      description = "List what would be replayed; produce nothing and commit nothing.")
  private boolean dryRun;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "PT60S",
      description = "Give up reading after this long (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String groupId = group.orElse("auditpipe-dlq-replay-" + topic);
    ReplayFilter filter =
        new ReplayFilter(
            Set.copyOf(stages),
            Set.copyOf(rules),
            Set.copyOf(statuses),
            since,
            until,
            fromOffset.map(OptionalLong::of).orElse(OptionalLong.empty()),
            toOffset.map(OptionalLong::of).orElse(OptionalLong.empty()));
    Tally tally = new Tally();
    Optional<String> unreachable = kafka.unreachable();
    if (unreachable.isPresent()) {
      err.println(topic + ": " + unreachable.get());
      err.flush();
      return ExitCodes.INVALID;
    }
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(groupId);
        KafkaProducer<byte[], byte[]> producer = dryRun ? null : producer()) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
      if (partitions == null || partitions.isEmpty()) {
        err.println(topic + ": no such topic at " + kafka.bootstrapServers());
        err.flush();
        return ExitCodes.INVALID;
      }
      List<TopicPartition> assigned =
          partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(assigned);
      Map<TopicPartition, Long> remaining = seekToStart(consumer, assigned);
      Instant deadline = Instant.now().plus(timeout);
      boolean stopped = false;
      while (!stopped && !remaining.isEmpty() && Instant.now().isBefore(deadline)) {
        Batch batch = new Batch();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          Long end = remaining.get(tp);
          if (stopped || end == null || record.offset() >= end) {
            continue;
          }
          if (maxRecords.isPresent() && tally.selected >= maxRecords.get()) {
            stopped = true;
            continue;
          }
          tally.read++;
          if (!filter.matches(record)) {
            batch.done(tp, record.offset());
            continue;
          }
          Optional<String> destination = toTopic.or(() -> sourceTopic(record));
          if (destination.isEmpty()) {
            err.println(
                coordinates(record)
                    + ": no source topic (neither "
                    + DeadLetterHeaderNames.SOURCE_TOPIC
                    + " nor "
                    + DeadLetterHeaderNames.CONNECT_TOPIC
                    + "); pass --to-topic to replay it. Stopping before it.");
            tally.unroutable = true;
            stopped = true;
            continue;
          }
          tally.selected++;
          out.println(
              (dryRun ? "would replay " : "replayed ")
                  + coordinates(record)
                  + " -> "
                  + destination.get()
                  + describe(record));
          if (!dryRun) {
            batch.sends.add(producer.send(replayOf(record, destination.get())));
          }
          batch.done(tp, record.offset());
        }
        if (!dryRun) {
          producer.flush();
          for (Future<RecordMetadata> send : batch.sends) {
            send.get();
          }
          if (!batch.next.isEmpty()) {
            consumer.commitSync(batch.next);
          }
        }
        remaining.keySet().removeIf(tp -> consumer.position(tp) >= remaining.get(tp));
      }
      out.flush();
      if (dryRun) {
        out.println(
            "dry run: "
                + tally.selected
                + " of "
                + tally.read
                + " dead letter(s) read from "
                + topic
                + " would be replayed; nothing produced, nothing committed (consumer group "
                + groupId
                + ")");
      } else {
        out.println(
            "replayed "
                + tally.selected
                + " of "
                + tally.read
                + " dead letter(s) read from "
                + topic
                + "; position committed in consumer group "
                + groupId
                + (stopped && !tally.unroutable
                    ? " (stopped at --max-records; run again to resume)"
                    : ""));
      }
      out.flush();
      err.flush();
      return tally.unroutable ? ExitCodes.INVALID : ExitCodes.OK;
    } catch (ExecutionException e) {
      err.println(
          topic
              + ": a replayed record could not be produced ("
              + e.getCause().getMessage()
              + "); nothing of that batch was committed, so the next run retries it");
      err.flush();
      return ExitCodes.INVALID;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.INVALID;
    } catch (KafkaException e) {
      err.println(
          topic + ": cannot replay with " + kafka.bootstrapServers() + ": " + e.getMessage());
      err.flush();
      return ExitCodes.INVALID;
    }
  }

  /**
   * Seeks each partition to where the group stopped (or the beginning, or --from-offset) and
   * returns the offsets to stop at: the end at start, or --to-offset.
   */
  private Map<TopicPartition, Long> seekToStart(
      KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> assigned) {
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(assigned, timeout);
    Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(Set.copyOf(assigned), timeout);
    Map<TopicPartition, Long> remaining = new HashMap<>();
    for (TopicPartition tp : assigned) {
      long start = begin.get(tp);
      OffsetAndMetadata c = committed.get(tp);
      if (c != null) {
        start = Math.max(start, c.offset());
      }
      if (fromOffset.isPresent()) {
        start = Math.max(start, fromOffset.get());
      }
      long stop = end.get(tp);
      if (toOffset.isPresent()) {
        stop = Math.min(stop, toOffset.get());
      }
      consumer.seek(tp, start);
      if (stop > start) {
        remaining.put(tp, stop);
      }
    }
    return remaining;
  }

  private KafkaConsumer<byte[], byte[]> consumer(String groupId) {
    Properties props = kafka.consumer("auditpipe-dlq-replay");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        kafka.producer("auditpipe-dlq-replay"),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** The original record: its key, value and headers without the error headers. */
  static ProducerRecord<byte[], byte[]> replayOf(
      ConsumerRecord<byte[], byte[]> deadLetter, String destination) {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : deadLetter.headers()) {
      if (!DeadLetterHeaderNames.isErrorHeader(h.key())) {
        headers.add(h);
      }
    }
    return new ProducerRecord<>(destination, null, deadLetter.key(), deadLetter.value(), headers);
  }

  private static Optional<String> sourceTopic(ConsumerRecord<byte[], byte[]> record) {
    return ReplayFilter.header(record.headers(), DeadLetterHeaderNames.SOURCE_TOPIC)
        .or(() -> ReplayFilter.header(record.headers(), DeadLetterHeaderNames.CONNECT_TOPIC))
        .filter(t -> !t.isBlank());
  }

  private static String coordinates(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  private static String describe(ConsumerRecord<byte[], byte[]> record) {
    StringBuilder s = new StringBuilder();
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("stage", DeadLetterHeaderNames.STAGE);
    shown.put("rule", DeadLetterHeaderNames.RULE);
    shown.put("workos status", DeadLetterHeaderNames.WORKOS_STATUS);
    shown.forEach(
        (label, name) ->
            ReplayFilter.header(record.headers(), name)
                .ifPresent(v -> s.append("  ").append(label).append('=').append(v)));
    return s.toString();
  }

  /** What one poll produced and the offsets to commit once it is flushed. */
  private static final class Batch {
    final List<Future<RecordMetadata>> sends = new ArrayList<>();
    final Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();

    void done(TopicPartition tp, long offset) {
      next.put(tp, new OffsetAndMetadata(offset + 1));
    }
  }

  private static final class Tally {
    long read;
    long selected;
    boolean unroutable;
  }
}
