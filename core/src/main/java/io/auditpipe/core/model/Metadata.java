package io.auditpipe.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An ordered, immutable map of metadata keys to values, as carried by an event, its actor and each
 * target. Insertion order is kept so the JSON sent to WorkOS is deterministic.
 */
public record Metadata(Map<String, MetadataValue> values) {

  private static final Metadata EMPTY = new Metadata(Map.of());

  public Metadata {
    Objects.requireNonNull(values, "values");
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public static Metadata empty() {
    return EMPTY;
  }

  public static Metadata of(Map<String, MetadataValue> values) {
    return values.isEmpty() ? EMPTY : new Metadata(values);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public int size() {
    return values.size();
  }
}
