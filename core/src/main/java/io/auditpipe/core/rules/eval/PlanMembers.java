package io.auditpipe.core.rules.eval;

import java.nio.charset.StandardCharsets;
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
        byte[] key = name.getBytes(StandardCharsets.US_ASCII);
        int slot = slot(key, 0, key.length);
        while (keys[slot] != null) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        steps[slot] = e.getValue();
      }
    }
  }

  /** The step for a member name, or {@code null} when the rules read nothing below it. */
  ReadPlan.Step get(String name) {
    return byName.get(name);
  }

  /** The step for the ASCII name in {@code json[from, to)}, or {@code null}. */
  ReadPlan.Step get(byte[] json, int from, int to) {
    for (int slot = slot(json, from, to); keys[slot] != null; slot = (slot + 1) & mask) {
      if (matches(keys[slot], json, from, to)) {
        return steps[slot];
      }
    }
    return null;
  }

  /**
   * A name's slot from its length and its first and last bytes: constant time, where a hash over
   * every byte would be a serial chain through the whole name, and member names of one object
   * rarely share all three.
   */
  private int slot(byte[] name, int from, int to) {
    int length = to - from;
    int hash = length == 0 ? 0 : length * 961 + name[from] * 31 + name[to - 1];
    return (hash ^ (hash >>> 7)) & mask;
  }

  // Names are short: a plain loop beats the set-up of a vectorized comparison.
  private static boolean matches(byte[] key, byte[] json, int from, int to) {
    if (key.length != to - from) {
      return false;
    }
    for (int k = 0; k < key.length; k++) {
      if (key[k] != json[from + k]) {
        return false;
      }
    }
    return true;
  }
}
