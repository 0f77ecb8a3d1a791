package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON Pointer from the record's root, numbered by the compiler so that a {@link ReadPlan} can
 * hand over its value without a tree: {@code id} indexes the values the plan read. A pointer that
 * leads into a {@link View} has no number ({@code id} -1): it is {@code rest} below the view's
 * node.
 *
 * @param view the view the pointer leads into, or {@code null} for a plain path
 * @param rest with a view, the pointer below the view's node; otherwise {@code null}
 */
public record RootPath(JsonPointerPath path, int id, View view, JsonPointerPath rest) {

  /** A plain path, read by the plan as value {@code id}. */
  public RootPath(JsonPointerPath path, int id) {
    this(path, id, null, null);
  }

  /** A path into {@code view}: {@code rest} below its node. */
  public static RootPath intoView(JsonPointerPath path, View view, JsonPointerPath rest) {
    return new RootPath(path, -1, view, rest);
  }

  /** The node at this path in the record, or {@code null} when there is none. */
  public JsonNode resolve(Scope scope) {
    return scope.rootPath(this);
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
