package io.auditpipe.core.rules;

import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.DeadLetterReasons;
import java.util.List;

/**
 * What the rules made of one record. A record is mapped all or nothing: if any matching rule fails,
 * the outcome is {@link Failed} and no event of that record is delivered.
 */
public sealed interface MappingOutcome
    permits MappingOutcome.Mapped, MappingOutcome.Unmatched, MappingOutcome.Failed {

  /** One or more events (several rules matched, or targets fanned out into several events). */
  record Mapped(List<MappedEvent> events) implements MappingOutcome {
    public Mapped {
      events = List.copyOf(events);
    }
  }

  /** No rule selected the record; what happens next is the document's {@link UnmatchedPolicy}. */
  record Unmatched() implements MappingOutcome {}

  /** The record could not be mapped or failed validation: every failure found. */
  record Failed(List<MappingFailure> failures) implements MappingOutcome {
    public Failed {
      failures = List.copyOf(failures);
      if (failures.isEmpty()) {
        throw new IllegalArgumentException("expected at least one failure, found none");
      }
    }

    /**
     * The record's dead letter: the first failure's stage and rule, and every failure as the
     * reason.
     */
    public DeadLetter deadLetter() {
      MappingFailure first = failures.get(0);
      return DeadLetter.of(
          first.stage(),
          first.rule(),
          DeadLetterReasons.failures(failures.stream().map(MappingFailure::toString).toList()));
    }
  }
}
