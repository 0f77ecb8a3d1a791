package io.auditpipe.connect.dlq;

import io.auditpipe.core.deadletter.DeadLetter;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The error handed to Connect's {@code ErrantRecordReporter} with a dead-lettered record; with
 * {@code errors.deadletterqueue.context.headers.enable} its message becomes a DLQ header.
 */
public final class DeadLetterException extends ConnectException {

  private static final long serialVersionUID = 1L;

  private final transient DeadLetter deadLetter;

  public DeadLetterException(DeadLetter deadLetter) {
    super(deadLetter.describe());
    this.deadLetter = deadLetter;
  }

  public DeadLetter deadLetter() {
    return deadLetter;
  }
}
