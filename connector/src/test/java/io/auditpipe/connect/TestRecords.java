package io.auditpipe.connect;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Records for tests that drive a task directly, as Connect's ByteArrayConverter hands them over.
 */
public final class TestRecords {

  /**
   * An {@code order.paid} domain event that {@link TestRules#orders} maps; {@code id} becomes the
   * actor id, so a stored event tells which record it came from.
   */
  public static byte[] orderPaid(String org, String id, String totalJson) {
    return ("{\"type\":\"order.paid\",\"org\":\""
            + org
            + "\",\"event_id\":\""
            + id
            + "\",\"ts\":\"2024-05-06T07:08:09.123Z\",\"ip\":\"10.0.0.1\",\"user\":{\"id\":\""
            + id
            + "\"},\"order\":{\"id\":\"order-"
            + id
            + "\",\"total\":"
            + totalJson
            + "}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A record at {@code offset} of {@code tp} with {@code value} as raw bytes. */
  public static SinkRecord record(TopicPartition tp, long offset, byte[] value) {
    return new SinkRecord(
        tp.topic(),
        tp.partition(),
        Schema.OPTIONAL_STRING_SCHEMA,
        "k" + offset,
        Schema.OPTIONAL_BYTES_SCHEMA,
        value,
        offset);
  }

  private TestRecords() {}
}
