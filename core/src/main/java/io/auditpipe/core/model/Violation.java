package io.auditpipe.core.model;

import java.util.Objects;

/**
 * One broken WorkOS constraint.
 *
 * @param field where, in WorkOS's own dotted form relative to the request body, e.g. {@code
 *     event.targets[1].metadata.plan}
 * @param code a stable machine-readable code ({@code required}, {@code too_long}, {@code
 *     too_many_keys}, {@code invalid_key}, {@code invalid_type}, {@code invalid_value})
 * @param message what was expected and what was found, never the offending value itself
 */
public record Violation(String field, String code, String message) {

  public Violation {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
