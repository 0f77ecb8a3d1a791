package io.auditpipe.connect.mapping;

import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.rules.MappedEvent;
import java.util.List;
import java.util.Objects;

/** What becomes of one record before delivery. */
public sealed interface RecordDisposition
    permits RecordDisposition.Deliver,
        RecordDisposition.Skip,
        RecordDisposition.DeadLetterIt,
        RecordDisposition.FailTask {

  /** Deliver these events (at least one). */
  record Deliver(List<MappedEvent> events) implements RecordDisposition {
    public Deliver {
      events = List.copyOf(events);
      if (events.isEmpty()) {
        throw new IllegalArgumentException("events: expected at least one, found none");
      }
    }
  }

  /** Nothing to deliver; the record counts as resolved. */
  record Skip(String why) implements RecordDisposition {
    public Skip {
      Objects.requireNonNull(why, "why");
    }
  }

  /** Send the record to the dead-letter topic. */
  record DeadLetterIt(DeadLetter deadLetter) implements RecordDisposition {
    public DeadLetterIt {
      Objects.requireNonNull(deadLetter, "deadLetter");
    }
  }

  /** Fail the task (a configured {@code fail} behaviour). */
  record FailTask(String reason) implements RecordDisposition {
    public FailTask {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
