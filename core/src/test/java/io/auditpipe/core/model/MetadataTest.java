package io.auditpipe.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataTest {

  private static final String[] KEYS = {"b", "a", "c"};
  private static final MetadataValue[] VALUES = {
    MetadataValue.of("x"), MetadataValue.of(1L), MetadataValue.of(true)
  };

  @Test
  void entriesFromArraysAreTheSameMetadataAsFromAMap() {
    Map<String, MetadataValue> map = new LinkedHashMap<>();
    map.put("b", VALUES[0]);
    map.put("a", VALUES[1]);
    Metadata fromArrays = Metadata.of(KEYS, VALUES, 2);

    assertThat(fromArrays).isEqualTo(Metadata.of(map)).hasSameHashCodeAs(Metadata.of(map));
    assertThat(Metadata.of(map)).isEqualTo(fromArrays);
    assertThat(fromArrays.values())
        .containsExactly(Map.entry("b", VALUES[0]), Map.entry("a", VALUES[1]));
    assertThat(fromArrays.values().get("a")).isEqualTo(VALUES[1]);
    assertThat(fromArrays.values().get("c")).isNull();
    assertThat(Metadata.of(KEYS, VALUES, 0)).isSameAs(Metadata.empty());
  }

  @Test
  void entriesAreCopiedAndReadOnly() {
    String[] keys = KEYS.clone();
    Metadata metadata = Metadata.of(keys, VALUES, 3);
    keys[0] = "changed";

    assertThat(metadata.values()).containsOnlyKeys("b", "a", "c");
    assertThatThrownBy(() -> metadata.values().put("d", VALUES[0]))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aRepeatedKeyKeepsItsFirstPlaceAndLastValue() {
    Metadata metadata = Metadata.of(new String[] {"a", "b", "a"}, VALUES, 3);

    assertThat(metadata.values())
        .containsExactly(Map.entry("a", VALUES[2]), Map.entry("b", VALUES[1]));
  }

  @Test
  void aNullKeyOrValueIsRejectedWhenTheMetadataIsMade() {
    Map<String, MetadataValue> nullKey = new LinkedHashMap<>();
    nullKey.put(null, VALUES[0]);
    Map<String, MetadataValue> nullValue = new LinkedHashMap<>();
    nullValue.put("a", VALUES[0]);
    nullValue.put("b", null);

    assertThatThrownBy(() -> Metadata.of(nullKey))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("metadata key");
    assertThatThrownBy(() -> Metadata.of(nullValue))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("metadata value of b");
    assertThatThrownBy(
            () -> Metadata.of(new String[] {"a", "a"}, new MetadataValue[] {null, null}, 2))
        .isInstanceOf(NullPointerException.class);
  }
}
