package io.auditpipe.core.rules;

import java.util.Locale;

/** What a record that no rule selects does: skipped (counted) or sent to the dead-letter topic. */
public enum UnmatchedPolicy {
  SKIP,
  DLQ;

  /** The lower-case name used in rules documents and configuration. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
