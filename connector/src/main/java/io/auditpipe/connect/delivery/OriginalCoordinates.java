package io.auditpipe.connect.delivery;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Where the consumer read a sink record: its original topic, partition and offset (KIP-793), which
 * transforms such as {@code RegexRouter} leave alone while they change {@code topic()}. Offsets are
 * tracked and committed, and records are named in logs and errors, by these coordinates. On a
 * worker older than Kafka 3.6, which has no original coordinates, the record's own are used.
 */
public final class OriginalCoordinates {

  private static final boolean SUPPORTED = supported();

  private OriginalCoordinates() {}

  /** The topic the record was consumed from. */
  public static String topic(SinkRecord record) {
    return SUPPORTED ? record.originalTopic() : record.topic();
  }

  /** The partition the record was consumed from (0 when the record carries none). */
  public static int partition(SinkRecord record) {
    Integer partition = SUPPORTED ? record.originalKafkaPartition() : record.kafkaPartition();
    return partition == null ? 0 : partition;
  }

  /** The offset the record was consumed at. */
  public static long offset(SinkRecord record) {
    return SUPPORTED ? record.originalKafkaOffset() : record.kafkaOffset();
  }

  /** {@code topic-partition@offset} as consumed, for messages. */
  public static String describe(SinkRecord record) {
    return topic(record) + "-" + partition(record) + "@" + offset(record);
  }

  private static boolean supported() {
    try {
      SinkRecord.class.getMethod("originalTopic");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
