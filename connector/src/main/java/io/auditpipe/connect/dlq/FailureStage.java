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
  /**
   * WorkOS refused to look the record's organization up by external id (400, 404 "organization not
   * found", 422), or the lookup kept failing transiently past {@code
   * auditpipe.poison.event.timeout.ms}.
   */
  LOOKUP,
  /**
   * WorkOS rejected the event; or it kept failing transiently while others were delivered, past
   * {@code auditpipe.poison.event.timeout.ms}; or WorkOS was unavailable past the outage bound
   * under {@code auditpipe.outage.behavior=dlq}.
   */
  DELIVER;

  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
