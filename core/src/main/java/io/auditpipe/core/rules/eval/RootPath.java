package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON Pointer from the record's root. A pointer that leads into a {@link View} is {@code rest}
 * below the view's node.
 *
 * @param view the view the pointer leads into, or {@code null} for a plain path
 * @param rest with a view, the pointer below the view's node; otherwise {@code null}
 */
public record RootPath(JsonPointerPath path, View view, JsonPointerPath rest) {

  /** A plain path. */
  public RootPath(JsonPointerPath path) {
    this(path, null, null);
  }

  /** A path into {@code view}: {@code rest} below its node. */
  public static RootPath intoView(JsonPointerPath path, View view, JsonPointerPath rest) {
    return new RootPath(path, view, rest);
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
