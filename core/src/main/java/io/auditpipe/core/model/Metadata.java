package io.auditpipe.core.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An ordered, immutable map of metadata keys to values, as carried by an event, its actor and each
 * target. Insertion order is kept so the JSON sent to WorkOS is deterministic. Keys and values are
 * never null.
 */
public record Metadata(Map<String, MetadataValue> values) {

  private static final Metadata EMPTY = new Metadata(Map.of());

  public Metadata {
    Objects.requireNonNull(values, "values");
    if (!(values instanceof Entries)) {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
      // A LinkedHashMap takes nulls, but no JSON or Avro form has a place for a null key or value:
      // rejected here, once, rather than written as broken JSON later.
      for (Map.Entry<String, MetadataValue> e : values.entrySet()) {
        Objects.requireNonNull(e.getKey(), "metadata key");
        Objects.requireNonNull(e.getValue(), () -> "metadata value of " + e.getKey());
      }
    }
  }

  public static Metadata empty() {
    return EMPTY;
  }

  public static Metadata of(Map<String, MetadataValue> values) {
    return values.isEmpty() ? EMPTY : new Metadata(values);
  }

  /**
   * Metadata of {@code keys[i]} → {@code values[i]} for {@code i < size}, in that order; a repeated
   * key keeps its first position and its last value, as with a {@link LinkedHashMap}. The arrays
   * are copied. For mappers that produce a few entries per event: no hash map is built.
   */
  public static Metadata of(String[] keys, MetadataValue[] values, int size) {
    if (size == 0) {
      return EMPTY;
    }
    for (int i = 1; i < size; i++) {
      for (int j = 0; j < i; j++) {
        if (keys[i].equals(keys[j])) {
          Map<String, MetadataValue> map = new LinkedHashMap<>();
          for (int k = 0; k < size; k++) {
            map.put(keys[k], values[k]);
          }
          return new Metadata(map);
        }
      }
    }
    for (int i = 0; i < size; i++) {
      Objects.requireNonNull(keys[i], "key");
      Objects.requireNonNull(values[i], "value");
    }
    return new Metadata(new Entries(Arrays.copyOf(keys, size), Arrays.copyOf(values, size)));
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public int size() {
    return values.size();
  }

  /** A read-only map over distinct keys in order; lookups scan, which is fast for a few keys. */
  private static final class Entries extends AbstractMap<String, MetadataValue> {

    private final String[] keys;
    private final MetadataValue[] values;

    Entries(String[] keys, MetadataValue[] values) {
      this.keys = keys;
      this.values = values;
    }

    @Override
    public int size() {
      return keys.length;
    }

    @Override
    public MetadataValue get(Object key) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i].equals(key)) {
          return values[i];
        }
      }
      return null;
    }

    @Override
    public boolean containsKey(Object key) {
      return get(key) != null;
    }

    @Override
    public Collection<MetadataValue> values() {
      return Collections.unmodifiableList(Arrays.asList(values));
    }

    @Override
    public Set<Map.Entry<String, MetadataValue>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, MetadataValue>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < keys.length;
            }

            @Override
            public Map.Entry<String, MetadataValue> next() {
              if (next >= keys.length) {
                throw new NoSuchElementException();
              }
              int i = next++;
              return Map.entry(keys[i], values[i]);
            }
          };
        }

        @Override
        public int size() {
          return keys.length;
        }
      };
    }
  }
}
