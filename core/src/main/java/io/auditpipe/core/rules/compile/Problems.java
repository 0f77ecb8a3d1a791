package io.auditpipe.core.rules.compile;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.rules.RulesError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Collects every problem of a document, so that all are reported at once. */
final class Problems {

  private final List<RulesError> errors = new ArrayList<>();

  void add(At at, String message) {
    errors.add(new RulesError(at.label(), at.pointer(), message));
  }

  /** Adds "expected …, found <type>". */
  void expected(At at, String expected, JsonNode found) {
    add(at, "expected " + expected + ", found " + AuditEventJson.kind(found));
  }

  List<RulesError> errors() {
    return errors;
  }

  int count() {
    return errors.size();
  }

  /**
   * Flags every key of {@code object} not in {@code allowed}, suggesting the likely intended one.
   */
  void unknownKeys(JsonNode object, At at, Set<String> allowed) {
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        String suggestion = closest(key, allowed);
        add(
            at.key(key),
            "unknown key \""
                + key
                + "\""
                + (suggestion == null ? "" : " (did you mean \"" + suggestion + "\"?)")
                + "; expected one of: "
                + String.join(", ", sorted(allowed)));
      }
    }
  }

  private static List<String> sorted(Set<String> keys) {
    List<String> list = new ArrayList<>(keys);
    list.sort(null);
    return list;
  }

  private static String closest(String key, Set<String> allowed) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : allowed) {
      int d = distance(key.toLowerCase(Locale.ROOT), candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return bestDistance <= Math.max(1, Math.min(3, key.length() / 3)) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
