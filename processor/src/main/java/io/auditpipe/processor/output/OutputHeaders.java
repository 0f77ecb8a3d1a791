package io.auditpipe.processor.output;

/**
 * Headers of every {@code audit-events} record, so consumers can deduplicate and trace without
 * decoding the value.
 */
public final class OutputHeaders {

  /** The deterministic WorkOS {@code Idempotency-Key}, identical to the connector's inline one. */
  public static final String IDEMPOTENCY_KEY = "auditpipe.idempotency.key";

  /** The rule that produced the event. */
  public static final String RULE = "auditpipe.rule";

  /** The domain record's topic. */
  public static final String SOURCE_TOPIC = "auditpipe.source.topic";

  /** The domain record's partition, in decimal. */
  public static final String SOURCE_PARTITION = "auditpipe.source.partition";

  /** The domain record's offset, in decimal. */
  public static final String SOURCE_OFFSET = "auditpipe.source.offset";

  /** {@code avro} or {@code json}: the value's format. */
  public static final String FORMAT = "auditpipe.format";

  private OutputHeaders() {}
}
