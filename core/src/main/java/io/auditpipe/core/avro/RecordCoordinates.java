package io.auditpipe.core.avro;

import java.util.Objects;

/** The topic, partition and offset of the domain record an audit event was mapped from. */
public record RecordCoordinates(String topic, int partition, long offset) {

  public RecordCoordinates {
    Objects.requireNonNull(topic, "topic");
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
