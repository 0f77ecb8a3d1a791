package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON Pointer from the record's root, numbered by the compiler so that a {@link ReadPlan} can
 * hand over its value without a tree: {@code id} indexes the values the plan read.
 */
public record RootPath(JsonPointerPath path, int id) {

  /** The node at this path in the record, or {@code null} when there is none. */
  public JsonNode resolve(Scope scope) {
    return scope.rootPath(this);
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
