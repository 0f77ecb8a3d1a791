package io.auditpipe.processor;

/**
 * The processor cannot start with its configuration or rules document. The message is for the user:
 * it names the rule location or configuration key and what was expected.
 */
public final class ProcessorStartException extends Exception {

  private static final long serialVersionUID = 1L;

  public ProcessorStartException(String message) {
    super(message);
  }
}
