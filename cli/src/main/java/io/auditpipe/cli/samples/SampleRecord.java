package io.auditpipe.cli.samples;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One sample Kafka record from a line of a samples file: the value, and what an envelope line gave
 * besides (each empty when the line did not say, so the command's options or defaults apply).
 *
 * @param line the line number in the file (1-based)
 * @param value the value bytes as they go onto the topic; empty is a tombstone (null value)
 * @param key the key the line gives (an envelope's {@code key}, possibly none); empty when the line
 *     does not say, so the command's key applies
 * @param headers the headers in order
 * @param topic the topic, overriding the command's {@code --topic}
 * @param partition the partition
 * @param timestamp the record timestamp
 */
public record SampleRecord(
    int line,
    Optional<byte[]> value,
    Optional<SampleKey> key,
    List<SampleHeader> headers,
    Optional<String> topic,
    OptionalInt partition,
    Optional<Instant> timestamp) {

  public SampleRecord {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(key, "key");
    headers = List.copyOf(headers);
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(timestamp, "timestamp");
  }

  /** A plain line: the value as it is, nothing else. */
  public static SampleRecord plain(int line, byte[] value) {
    return new SampleRecord(
        line,
        Optional.of(value),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        OptionalInt.empty(),
        Optional.empty());
  }
}
