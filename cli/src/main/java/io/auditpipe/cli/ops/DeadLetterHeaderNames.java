package io.auditpipe.cli.ops;

/**
 * The dead-letter header names the CLI reads, in one place: the connector's and processor's {@code
 * auditpipe.error.*}/{@code auditpipe.workos.*} headers and Connect's {@code __connect.errors.*}
 * context headers. When the names move into a shared dead-letter contract, only this class changes.
 */
public final class DeadLetterHeaderNames {

  /** {@code convert}, {@code map}, {@code validate} or {@code deliver}. */
  public static final String STAGE = "auditpipe.error.stage";

  /** The rule involved; several are joined by commas. */
  public static final String RULE = "auditpipe.error.rule";

  /** WorkOS's HTTP status, {@code deliver} stage only. */
  public static final String WORKOS_STATUS = "auditpipe.workos.status";

  /** The processor's source coordinates. */
  public static final String SOURCE_TOPIC = "auditpipe.error.topic";

  public static final String SOURCE_PARTITION = "auditpipe.error.partition";
  public static final String SOURCE_OFFSET = "auditpipe.error.offset";

  /** Connect's source coordinates ({@code errors.deadletterqueue.context.headers.enable=true}). */
  public static final String CONNECT_TOPIC = "__connect.errors.topic";

  public static final String CONNECT_PARTITION = "__connect.errors.partition";
  public static final String CONNECT_OFFSET = "__connect.errors.offset";

  /**
   * Prefixes of the headers a dead-letter writer adds. Other {@code auditpipe.*} headers (the
   * processor's {@code auditpipe.idempotency.key}, {@code auditpipe.format}, …) belong to the
   * original record and are kept on replay.
   */
  public static final String AUDITPIPE_ERROR_PREFIX = "auditpipe.error.";

  public static final String AUDITPIPE_WORKOS_PREFIX = "auditpipe.workos.";
  public static final String CONNECT_ERRORS_PREFIX = "__connect.errors.";

  /** Whether {@code name} is an error header a replay strips. */
  public static boolean isErrorHeader(String name) {
    return name.startsWith(AUDITPIPE_ERROR_PREFIX)
        || name.startsWith(AUDITPIPE_WORKOS_PREFIX)
        || name.startsWith(CONNECT_ERRORS_PREFIX);
  }

  private DeadLetterHeaderNames() {}
}
