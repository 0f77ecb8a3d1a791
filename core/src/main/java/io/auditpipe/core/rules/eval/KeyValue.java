package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;

/** A JSON Pointer into the record's key. */
public final class KeyValue implements Value {

  private final JsonPointerPath path;
  private final String notFound;

  public KeyValue(JsonPointerPath path) {
    this.path = path;
    this.notFound = "key path \"" + path + "\" not found";
  }

  @Override
  public JsonNode eval(Scope scope) {
    JsonNode key = scope.record().key().orElse(null);
    if (key == null) {
      return scope.missing("the record has no key");
    }
    JsonNode node = path.resolve(key);
    return Nodes.absent(node) ? scope.missing(notFound) : node;
  }
}
