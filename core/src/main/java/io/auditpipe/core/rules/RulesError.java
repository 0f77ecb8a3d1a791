package io.auditpipe.core.rules;

import java.util.Objects;

/**
 * One problem in a rules document.
 *
 * @param location where, as {@code rules[2] "order-paid" actor.id} or a document-level path such as
 *     {@code defaults.context}
 * @param pointer the JSON Pointer of the offending node in the document, e.g. {@code
 *     /rules/2/actor/id}
 * @param message what was expected and what was found
 */
public record RulesError(String location, String pointer, String message) {

  public RulesError {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return location.isEmpty() ? message : location + ": " + message;
  }
}
