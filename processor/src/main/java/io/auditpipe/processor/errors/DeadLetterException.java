package io.auditpipe.processor.errors;

import io.auditpipe.core.deadletter.DeadLetter;
import java.util.Objects;

/**
 * A domain record that cannot become audit events. Thrown by the mapping processor and turned into
 * a dead-letter record by {@link DeadLetterHandler}, inside the same Kafka Streams transaction as
 * the record's offset commit. Messages name the stage, rule and reason, never record values.
 */
public final class DeadLetterException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient DeadLetter deadLetter;

  public DeadLetterException(DeadLetter deadLetter) {
    super(deadLetter.describe(), null, false, false);
    this.deadLetter = Objects.requireNonNull(deadLetter, "deadLetter");
  }

  /** Why the record fails, as core's dead-letter contract says it. */
  public DeadLetter deadLetter() {
    return deadLetter;
  }
}
