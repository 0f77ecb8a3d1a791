package io.auditpipe.connect.dlq;

import java.util.Locale;

/** Where in the pipeline a record failed; the value of the {@code auditpipe.error.stage} header. */
public enum FailureStage {
  /** The value could not be read (not JSON, a tombstone under {@code dlq}, undecodable Avro). */
  CONVERT,
  /** No rule selected the record under {@code dlq}, or a rule could not be evaluated. */
  MAP,
  /** The event built breaks a WorkOS limit. */
  VALIDATE,
  /** WorkOS rejected the event, or retries ran out under {@code dlq}. */
  DELIVER;

  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
