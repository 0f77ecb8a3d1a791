package io.auditpipe.core.rules;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a rule's value can produce, known from the rules document alone (no record): the JSON types
 * it may have and, when the document fixes them, the texts it can be. A literal {@code
 * "order.paid"} is the text {@code order.paid}; a lookup table's values and its {@code default} are
 * those texts; a path, a key or a JSONata expression may be any type; templates, functions,
 * timestamps, {@code join}, headers and external ids give strings whose text the record decides.
 *
 * @param types the JSON types the value may have, never empty
 * @param texts every text the value can be, when the document fixes them (empty: the record
 *     decides)
 * @param optional whether the field is left out when its value is missing ({@code "optional":
 *     true})
 */
public record ValueShape(Set<Type> types, Optional<List<String>> texts, boolean optional) {

  /** The JSON types a WorkOS metadata value can have. */
  public enum Type {
    STRING,
    NUMBER,
    BOOLEAN;

    /** The JSON Schema name, as in {@code "type": "string"}. */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ValueShape {
    Objects.requireNonNull(types, "types");
    Objects.requireNonNull(texts, "texts");
    if (types.isEmpty()) {
      throw new IllegalArgumentException("types: expected at least one type");
    }
    types = Set.copyOf(EnumSet.copyOf(types));
    texts = texts.map(List::copyOf);
  }

  /** The types in their declaration order (string, number, boolean). */
  public List<Type> orderedTypes() {
    return List.copyOf(EnumSet.copyOf(types));
  }
}
