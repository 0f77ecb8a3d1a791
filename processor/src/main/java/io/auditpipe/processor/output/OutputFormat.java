package io.auditpipe.processor.output;

import java.util.Locale;

/** How events are written to the {@code audit-events} topic. */
public enum OutputFormat {
  /** {@code audit-log-event.avsc} in Avro single-object encoding: no schema registry needed. */
  AVRO,
  /**
   * The WorkOS request body {@code {"organization_id":…,"event":{…}}} plus {@code idempotency_key}
   * and {@code source}: the same field names as the Avro schema.
   */
  JSON;

  /** The lower-case name used in configuration. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format named {@code name}, case-insensitively. */
  public static OutputFormat of(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
