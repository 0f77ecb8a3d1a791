package io.auditpipe.connect.mapping;

import io.auditpipe.connect.config.NullValueBehavior;
import io.auditpipe.connect.dlq.DeadLetterReporter;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.DeadLetterReasons;
import io.auditpipe.core.deadletter.FailureStage;
import org.apache.kafka.connect.sink.SinkRecord;

/** The configured treatment of records with a null value (tombstones). */
final class NullValues {

  private NullValues() {}

  static RecordDisposition disposition(SinkRecord record, NullValueBehavior behavior) {
    return switch (behavior) {
      case SKIP -> new RecordDisposition.Skip("null value");
      case DLQ ->
          new RecordDisposition.DeadLetterIt(
              DeadLetter.of(
                  FailureStage.CONVERT,
                  "",
                  DeadLetterReasons.tombstone("auditpipe.behavior.on.null.values=dlq")));
      case FAIL ->
          new RecordDisposition.FailTask(
              DeadLetterReporter.coordinates(record)
                  + ": expected a value, found null (a tombstone; behavior.on.null.values=fail)");
    };
  }
}
