package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A compiled field value. Declarative values read the record directly: no expression engine, no
 * intermediate maps.
 */
@FunctionalInterface
public interface Value {

  /**
   * The value's node; {@code null} when absent (after {@link Scope#missing} said why), or {@link
   * Scope#FAILED} after a failure was recorded. JSON {@code null} counts as absent.
   */
  JsonNode eval(Scope scope);
}
