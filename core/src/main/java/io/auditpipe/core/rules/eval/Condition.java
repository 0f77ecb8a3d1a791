package io.auditpipe.core.rules.eval;

/** A compiled {@code when} condition. An absent subject never matches and is not an error. */
@FunctionalInterface
public interface Condition {

  /** Whether the record matches; failures (e.g. of a JSONata condition) go to {@code scope}. */
  boolean test(Scope scope);
}
