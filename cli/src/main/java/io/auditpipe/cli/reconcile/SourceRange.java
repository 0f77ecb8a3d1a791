package io.auditpipe.cli.reconcile;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the source records of given offset ranges, [from, to) per partition, with {@code assign}
 * and {@code seek}: no consumer group, nothing committed.
 */
public final class SourceRange {

  private static final long PROGRESS_EVERY = 10_000;

  private SourceRange() {}

  /** Offsets {@code from} inclusive to {@code to} exclusive of one partition. */
  public record OffsetRange(long from, long to) {}

  /**
   * Hands every record in range to {@code records}, reporting progress on {@code progress}.
   *
   * @return the number of records read
   * @throws IllegalStateException if the ranges were not read within {@code timeout}
   */
  public static long read(
      KafkaConsumer<byte[], byte[]> consumer,
      Map<TopicPartition, OffsetRange> ranges,
      Duration timeout,
      PrintWriter progress,
      Consumer<ConsumerRecord<byte[], byte[]>> records) {
    Map<TopicPartition, Long> remaining = new HashMap<>();
    consumer.assign(List.copyOf(ranges.keySet()));
    ranges.forEach(
        (tp, range) -> {
          consumer.seek(tp, range.from());
          if (range.to() > range.from()) {
            remaining.put(tp, range.to());
          }
        });
    Instant deadline = Instant.now().plus(timeout);
    long read = 0;
    while (!remaining.isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "expected to read the range within "
                + timeout
                + " (--timeout), still reading "
                + remaining.keySet());
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        Long end = remaining.get(new TopicPartition(record.topic(), record.partition()));
        if (end == null || record.offset() >= end) {
          continue;
        }
        records.accept(record);
        if (++read % PROGRESS_EVERY == 0) {
          progress.println("reconcile: " + read + " source record(s) read");
          progress.flush();
        }
      }
      remaining.keySet().removeIf(tp -> consumer.position(tp) >= remaining.get(tp));
    }
    consumer.unsubscribe();
    return read;
  }
}
