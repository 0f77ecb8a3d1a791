package io.auditpipe.core.rules.eval;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The member names a {@link ReadPlan} step walks into, looked up by the {@code String} a parser
 * decoded, or by the raw bytes of a name in a record with the name's {@link String#hashCode()}
 * (which, for ASCII, is the same sum over the bytes): {@link JsonByteScanner} matches names without
 * making strings of them. Immutable.
 */
final class PlanMembers {

  static final PlanMembers NONE = new PlanMembers(Map.of());

  // A HashMap, not Map.copyOf: its lookups cost a mask, not the floorMod of an immutable map.
  private final Map<String, ReadPlan.Step> byName;
  private final byte[][] keys;
  private final ReadPlan.Step[] steps;
  private final int mask;

  PlanMembers(Map<String, ReadPlan.Step> byName) {
    this.byName = new HashMap<>(byName);
    int size = Integer.highestOneBit(Math.max(1, byName.size()) * 2 - 1) << 1;
    this.keys = new byte[size][];
    this.steps = new ReadPlan.Step[size];
    this.mask = size - 1;
    for (Map.Entry<String, ReadPlan.Step> e : byName.entrySet()) {
      String name = e.getKey();
      // The scanner hands non-ASCII names to Jackson, so only ASCII names are matched by bytes.
      if (name.chars().allMatch(c -> c < 0x80)) {
        int slot = slot(name.hashCode());
        while (keys[slot] != null) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = name.getBytes(StandardCharsets.US_ASCII);
        steps[slot] = e.getValue();
      }
    }
  }

  /** The step for a member name, or {@code null} when the rules read nothing below it. */
  ReadPlan.Step get(String name) {
    return byName.get(name);
  }

  /**
   * The step for the ASCII name in {@code json[from, to)}, whose {@code String} hash is {@code
   * hash}, or {@code null}.
   */
  ReadPlan.Step get(byte[] json, int from, int to, int hash) {
    int length = to - from;
    for (int slot = slot(hash); keys[slot] != null; slot = (slot + 1) & mask) {
      byte[] key = keys[slot];
      if (key.length == length && Arrays.equals(key, 0, length, json, from, to)) {
        return steps[slot];
      }
    }
    return null;
  }

  private int slot(int hash) {
    return (hash ^ (hash >>> 16)) & mask;
  }
}
