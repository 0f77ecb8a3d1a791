package io.auditpipe.connect.mapping;

import org.apache.kafka.connect.sink.SinkRecord;

/** Decides what becomes of a record: events to deliver, a skip, a dead letter or a task failure. */
public interface RecordMapper {

  /** Never throws for bad record content. */
  RecordDisposition map(SinkRecord record);
}
