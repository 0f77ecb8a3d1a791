package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The first of several values that is present. */
public final class CoalesceValue implements Value {

  private final Value[] values;
  private final String noneFound;

  public CoalesceValue(List<Value> values) {
    this.values = values.toArray(new Value[0]);
    this.noneFound = "none of the " + values.size() + " coalesce values is present";
  }

  @Override
  public JsonNode eval(Scope scope) {
    for (Value v : values) {
      JsonNode node = v.eval(scope);
      if (node != null) {
        return node;
      }
    }
    return scope.missing(noneFound);
  }
}
