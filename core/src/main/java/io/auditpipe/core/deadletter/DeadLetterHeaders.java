package io.auditpipe.core.deadletter;

import java.util.List;

/**
 * The names of the headers a dead-lettered record carries next to its original key, value and
 * headers. {@link DeadLetterCodec} writes and reads them; both the connector and the processor
 * write the same set.
 */
public final class DeadLetterHeaders {

  /** What every auditpipe header name starts with. */
  public static final String PREFIX = "auditpipe.";

  /** The {@link FailureStage}'s external name: {@code convert}, {@code map}, … */
  public static final String STAGE = "auditpipe.error.stage";

  /** The rule involved; absent when no rule applies. */
  public static final String RULE = "auditpipe.error.rule";

  /** What was expected and what was found; cut at {@link DeadLetterCodec#MAX_REASON_LENGTH}. */
  public static final String REASON = "auditpipe.error.reason";

  /** The topic of the record that failed, before any transform renamed it. */
  public static final String TOPIC = "auditpipe.error.topic";

  /** The partition of the record that failed. */
  public static final String PARTITION = "auditpipe.error.partition";

  /** The offset of the record that failed. */
  public static final String OFFSET = "auditpipe.error.offset";

  /** WorkOS's HTTP status, when WorkOS answered. */
  public static final String WORKOS_STATUS = "auditpipe.workos.status";

  /** WorkOS's error {@code code}, when it sent one. */
  public static final String WORKOS_CODE = "auditpipe.workos.code";

  /** WorkOS's {@code X-Request-Id}, for WorkOS support. */
  public static final String WORKOS_REQUEST_ID = "auditpipe.workos.request_id";

  /** Every name, in the order they are written and best read. */
  public static final List<String> ALL =
      List.of(
          STAGE,
          RULE,
          REASON,
          WORKOS_STATUS,
          WORKOS_CODE,
          WORKOS_REQUEST_ID,
          TOPIC,
          PARTITION,
          OFFSET);

  private DeadLetterHeaders() {}
}
