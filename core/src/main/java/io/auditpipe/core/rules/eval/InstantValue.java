package io.auditpipe.core.rules.eval;

import java.time.Instant;

/** A value that yields a point in time directly, without formatting and re-parsing it. */
public interface InstantValue extends Value {

  /** Returned after a failure was recorded; compared by identity. */
  Instant FAILED = Instant.MIN;

  /** The instant, {@code null} when absent, or {@link #FAILED}. */
  Instant instant(Scope scope);
}
