package io.auditpipe.processor.errors;

/**
 * Headers a dead-letter record carries next to the original key, value and headers: the same {@code
 * auditpipe.error.*} names the connector writes.
 */
public final class DeadLetterHeaders {

  /** {@code convert}, {@code map} or {@code validate}. */
  public static final String STAGE = "auditpipe.error.stage";

  /** The rule's name (several joined by commas); absent when no rule applies. */
  public static final String RULE = "auditpipe.error.rule";

  /** What was expected and what was found; never a record value. */
  public static final String REASON = "auditpipe.error.reason";

  /** The source record's topic. */
  public static final String TOPIC = "auditpipe.error.topic";

  /** The source record's partition. */
  public static final String PARTITION = "auditpipe.error.partition";

  /** The source record's offset. */
  public static final String OFFSET = "auditpipe.error.offset";

  private DeadLetterHeaders() {}
}
