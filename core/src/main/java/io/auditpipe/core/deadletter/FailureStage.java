package io.auditpipe.core.deadletter;

import java.util.Locale;
import java.util.Optional;

/** Where in the pipeline a record failed; the value of the {@code auditpipe.error.stage} header. */
public enum FailureStage {
  /** The value could not be read: not JSON, a tombstone under {@code dlq}, undecodable Avro. */
  CONVERT,
  /** No rule selected the record under {@code unmatched: dlq}, or a rule could not be evaluated. */
  MAP,
  /** The event built breaks a WorkOS limit. */
  VALIDATE,
  /** WorkOS answered the organization lookup by {@code external_id} with a 4xx. */
  LOOKUP,
  /** WorkOS rejected the event, or delivery gave up under a configured bound. */
  DELIVER;

  /** The lower-case header value, e.g. {@code map}. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The stage a header value names, or empty for a value this version does not know. */
  public static Optional<FailureStage> fromExternalName(String value) {
    for (FailureStage stage : values()) {
      if (stage.externalName().equals(value)) {
        return Optional.of(stage);
      }
    }
    return Optional.empty();
  }
}
