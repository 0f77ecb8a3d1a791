package io.auditpipe.cli;

/** The exit codes every auditpipe subcommand uses, as listed in {@code auditpipe --help}. */
public final class ExitCodes {

  /** Everything worked. */
  public static final int OK = 0;

  /**
   * The command could not do its job: invalid input or configuration (a rules document, an
   * unreadable file, no API key) or a failure (Kafka or WorkOS unreachable or refusing).
   */
  public static final int INVALID = 1;

  /** The command line itself was wrong (picocli's own usage exit code). */
  public static final int USAGE = 2;

  /** The command ran to the end but some records could not be processed; each was reported. */
  public static final int RECORDS_FAILED = 3;

  /** {@code reconcile}: events the source records should have produced are missing in WorkOS. */
  public static final int EVENTS_MISSING = 4;

  private ExitCodes() {}
}
