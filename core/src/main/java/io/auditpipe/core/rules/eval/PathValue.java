package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON Pointer into the record's value: from the record's root, or relative to the {@code
 * for_each} element inside a fanned out target.
 */
public final class PathValue implements Value {

  private final JsonPointerPath path;
  private final RootPath fromRoot;
  private final int elementId;
  private final String notFound;
  private final String isNull;

  private PathValue(JsonPointerPath path, RootPath fromRoot, int elementId) {
    this.path = path;
    this.fromRoot = fromRoot;
    this.elementId = elementId;
    this.notFound = "path \"" + path + "\" not found";
    this.isNull = "path \"" + path + "\" is null";
  }

  /** A path from the record's root. */
  public static PathValue ofRoot(RootPath path) {
    return new PathValue(path.path(), path, -1);
  }

  /**
   * A path relative to the element a {@code for_each} is visiting.
   *
   * @param elementId the path's index in the rows a {@link ReadPlan} reads for the elements
   */
  public static PathValue ofElement(JsonPointerPath path, int elementId) {
    return new PathValue(path, null, elementId);
  }

  @Override
  public JsonNode eval(Scope scope) {
    JsonNode node;
    if (fromRoot != null) {
      node = scope.rootPath(fromRoot);
    } else {
      Object[] row = scope.row();
      node = row != null ? (JsonNode) row[elementId] : path.resolve(scope.current());
    }
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
