package io.auditpipe.cli.ops;

import io.auditpipe.cli.ExitCodes;
import io.auditpipe.cli.UserMessages;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code auditpipe dlq inspect --bootstrap-servers … --topic …}: prints the dead-lettered records
 * with their error headers. Reads without a consumer group, so it commits nothing and disturbs no
 * one; by default it prints what the topic holds now and stops.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Prints dead-lettered records: where each is, why it failed (auditpipe.error.*,"
          + " auditpipe.workos.* and Connect's __connect.errors.* headers), the record it came"
          + " from, and its key and value as text.",
      "Reads from the beginning (or the last --max records) to the current end without"
          + " joining a consumer group, so nothing is committed."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Success (also when the topic is empty).",
      "1:The topic does not exist or Kafka cannot be reached.",
      "2:Invalid command-line usage."
    })
public final class InspectDlqCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private KafkaOptions kafka;

  @Option(
      names = {"-t", "--topic"},
      required = true,
      paramLabel = "TOPIC",
      description = "The dead-letter topic.")
  private String topic;

  @Option(
      names = {"-n", "--max"},
      paramLabel = "N",
      defaultValue = "100",
      description = "At most the last N records per partition (default: ${DEFAULT-VALUE}).")
  private int max;

  @Option(
      names = "--value-chars",
      paramLabel = "N",
      defaultValue = "300",
      description = "Show at most N characters of each value (default: ${DEFAULT-VALUE}).")
  private int valueChars;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "PT30S",
      description = "Give up reading after this long (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Properties props = kafka.consumer("auditpipe-dlq-inspect");
    Optional<String> unreachable = kafka.unreachable();
    if (unreachable.isPresent()) {
      err.println(topic + ": " + unreachable.get());
      err.flush();
      return ExitCodes.INVALID;
    }
    DeadLetterFormatter formatter = new DeadLetterFormatter(valueChars);
    int printed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
      if (partitions == null || partitions.isEmpty()) {
        err.println(topic + ": no such topic at " + kafka.bootstrapServers());
        err.flush();
        return ExitCodes.INVALID;
      }
      List<TopicPartition> assigned =
          partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(assigned);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(assigned, timeout);
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
      Map<TopicPartition, Long> remaining = new HashMap<>();
      for (TopicPartition tp : assigned) {
        long start = Math.max(begin.get(tp), end.get(tp) - max);
        consumer.seek(tp, start);
        if (end.get(tp) > start) {
          remaining.put(tp, end.get(tp));
        }
      }
      Instant until = Instant.now().plus(timeout);
      while (!remaining.isEmpty() && Instant.now().isBefore(until)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          Long stop = remaining.get(tp);
          if (stop == null || record.offset() >= stop) {
            continue;
          }
          formatter.format(record).forEach(out::println);
          out.println();
          printed++;
        }
        // Transaction markers take offsets too: a partition is done once its position passes.
        remaining.keySet().removeIf(tp -> consumer.position(tp) >= remaining.get(tp));
      }
      out.flush();
      err.println(printed + " dead-lettered record(s) in " + topic);
      err.flush();
      return ExitCodes.OK;
    } catch (KafkaException e) {
      err.println(
          topic
              + ": cannot read from "
              + kafka.bootstrapServers()
              + ": "
              + UserMessages.clean(e.getMessage() == null ? "Kafka client error" : e.getMessage()));
      err.flush();
      return ExitCodes.INVALID;
    }
  }
}
