package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** A record header, decoded as UTF-8. */
public final class HeaderValue implements Value {

  private final String name;
  private final String notFound;

  public HeaderValue(String name) {
    this.name = name;
    this.notFound = "header \"" + name + "\" not present";
  }

  @Override
  public JsonNode eval(Scope scope) {
    String value = scope.record().headers().get(name);
    return value == null ? scope.missing(notFound) : TextNode.valueOf(value);
  }
}
