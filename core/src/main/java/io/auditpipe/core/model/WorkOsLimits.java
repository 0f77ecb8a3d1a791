package io.auditpipe.core.model;

import java.util.regex.Pattern;

/** The limits WorkOS enforces on an audit log event (see workos-audit-logs-api.md). */
public final class WorkOsLimits {

  /** At most this many keys in any one metadata object (event, actor, each target). */
  public static final int MAX_METADATA_KEYS = 50;

  /** Metadata keys: letters, digits, underscore and dash, at most 40 characters. */
  public static final Pattern METADATA_KEY = Pattern.compile("^[a-zA-Z0-9_-]{0,40}$");

  /** Maximum length of a metadata string value. */
  public static final int MAX_METADATA_STRING_LENGTH = 500;

  private WorkOsLimits() {}
}
