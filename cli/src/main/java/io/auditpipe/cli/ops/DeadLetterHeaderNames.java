package io.auditpipe.cli.ops;

import io.auditpipe.core.deadletter.DeadLetterHeaders;

/**
 * The dead-letter header names replay and reconcile read: core's dead-letter contract ({@link
 * DeadLetterHeaders}) plus Connect's {@code __connect.errors.*} context headers.
 */
public final class DeadLetterHeaderNames {

  public static final String STAGE = DeadLetterHeaders.STAGE;

  /** The rule of the first failure, when a rule is involved. */
  public static final String RULE = DeadLetterHeaders.RULE;

  public static final String WORKOS_STATUS = DeadLetterHeaders.WORKOS_STATUS;

  /** Where the failed record was consumed from (both writers; the original coordinates). */
  public static final String SOURCE_TOPIC = DeadLetterHeaders.TOPIC;

  public static final String SOURCE_PARTITION = DeadLetterHeaders.PARTITION;
  public static final String SOURCE_OFFSET = DeadLetterHeaders.OFFSET;

  /** Connect's source coordinates ({@code errors.deadletterqueue.context.headers.enable=true}). */
  public static final String CONNECT_TOPIC = "__connect.errors.topic";

  public static final String CONNECT_PARTITION = "__connect.errors.partition";
  public static final String CONNECT_OFFSET = "__connect.errors.offset";

  static final String CONNECT_ERRORS_PREFIX = "__connect.errors.";

  /**
   * Whether {@code name} is a header a dead-letter writer adds, which a replay strips. Other {@code
   * auditpipe.*} headers (the processor's {@code auditpipe.idempotency.key}, {@code
   * auditpipe.format}, …) belong to the original record and are kept.
   */
  public static boolean isErrorHeader(String name) {
    return DeadLetterHeaders.ALL.contains(name) || name.startsWith(CONNECT_ERRORS_PREFIX);
  }

  private DeadLetterHeaderNames() {}
}
