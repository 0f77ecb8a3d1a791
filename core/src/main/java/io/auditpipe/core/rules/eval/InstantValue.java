package io.auditpipe.core.rules.eval;

import java.time.Instant;

/** A value that yields a point in time directly, without formatting and re-parsing it. */
public interface InstantValue extends Value {

  /** Returned after a failure was recorded; compared by identity. */
  Instant FAILED = Instant.MIN;

  /** Whether {@code t} is {@link #FAILED}. */
  // Identity on purpose: an event may really occur at Instant.MIN, which is data, not a failure.
  @SuppressWarnings("ReferenceEquality")
  static boolean failed(Instant t) {
    return t == FAILED;
  }

  /** The instant, {@code null} when absent, or {@link #FAILED}. */
  Instant instant(Scope scope);
}
