package io.auditpipe.core.deadletter;

import java.util.List;

/**
 * The one wording of each kind of failure, so that the connector and the processor give the same
 * reason for the same record. Reasons say what was expected and what was found, and never quote a
 * record value.
 */
public final class DeadLetterReasons {

  private DeadLetterReasons() {}

  /** Stage {@code map}: no rule selects the record and unmatched records go to the DLQ. */
  public static String unmatched(String topic) {
    return "expected a rule selecting the record (unmatched: dlq), found none for topic " + topic;
  }

  /**
   * Stages {@code map} (unmappable) and {@code validate} (invalid by WorkOS's limits): every
   * failure, each as {@code location: reason}.
   */
  public static String failures(List<String> failures) {
    return String.join("; ", failures);
  }

  /** Stage {@code convert}: the value does not parse as JSON. */
  public static String malformedJson(int line, int column, int length) {
    return "expected a JSON value, found malformed JSON at line "
        + line
        + ", column "
        + column
        + " ("
        + length
        + " bytes)";
  }

  /**
   * Stage {@code convert}: the value does not parse as JSON, at a place the parser did not tell.
   */
  public static String malformedJson(int length) {
    return "expected a JSON value, found malformed JSON (" + length + " bytes)";
  }

  /** Stage {@code convert}: the value holds no JSON value (empty or only whitespace). */
  public static String noJsonValue(int length) {
    return "expected a JSON value, found " + length + " byte(s) without one";
  }

  /** Stage {@code convert}: the value could not be read at all. */
  public static String unreadable(String what) {
    return "expected a JSON value, found unreadable input (" + what + ")";
  }

  /** Stage {@code convert}: a tombstone, dead-lettered because {@code setting} says so. */
  public static String tombstone(String setting) {
    return "expected a value, found null (a tombstone; " + setting + ")";
  }

  /** Stage {@code deliver}: WorkOS refused the event with a non-retryable 4xx. */
  public static String rejected(String workosMessage) {
    return "WorkOS rejected the event: " + workosMessage;
  }

  /** Stage {@code lookup}: WorkOS answered the organization lookup with a 4xx. */
  public static String lookupRejected(String externalIdDescription, String workosMessage) {
    return "expected WorkOS to know the organization with external_id "
        + externalIdDescription
        + ", found: "
        + workosMessage;
  }

  /** Stage {@code deliver}: delivery gave up on a transient cause under a configured bound. */
  public static String gaveUp(String bound, String lastCause) {
    return "delivery gave up after " + bound + ": " + lastCause;
  }

  /** Stage {@code map}: a bug rather than bad data; the details are in the application's log. */
  public static String unexpected(String exceptionType, String where) {
    return "unexpected " + exceptionType + " while mapping; see the " + where + " log";
  }
}
