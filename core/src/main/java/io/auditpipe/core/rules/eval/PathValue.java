package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON Pointer into the record's value: from the record's root, or relative to the {@code
 * for_each} element inside a fanned out target.
 */
public final class PathValue implements Value {

  private final JsonPointerPath path;
  private final RootPath fromRoot;
  private final String notFound;
  private final String isNull;

  private PathValue(JsonPointerPath path, RootPath fromRoot) {
    this.path = path;
    this.fromRoot = fromRoot;
    this.notFound = "path \"" + path + "\" not found";
    this.isNull = "path \"" + path + "\" is null";
  }

  /** A path from the record's root. */
  public static PathValue ofRoot(RootPath path) {
    return new PathValue(path.path(), path);
  }

  /** A path relative to the element a {@code for_each} is visiting. */
  public static PathValue ofElement(JsonPointerPath path) {
    return new PathValue(path, null);
  }

  @Override
  public JsonNode eval(Scope scope) {
    JsonNode node = fromRoot != null ? scope.rootPath(fromRoot) : path.resolve(scope.current());
    if (node == null || node.isMissingNode()) {
      return scope.missing(notFound);
    }
    if (Scope.failed(node)) {
      return node;
    }
    if (node.isNull()) {
      return scope.missing(isNull);
    }
    return node;
  }
}
