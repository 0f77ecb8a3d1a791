package io.auditpipe.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.emulator.WorkOsEmulator;
import io.auditpipe.emulator.state.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code POST /audit_logs/events} requests one emulator stored, by idempotency key, and a
 * readable account of how two such sets differ: the first differing event, field by field down to
 * the differing metadata entry or target member.
 */
final class StoredRequests {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The fields of a request body compared one by one, in the order they are reported. */
  private static final List<String> FIELDS =
      List.of(
          "/organization_id",
          "/event/action",
          "/event/occurred_at",
          "/event/version",
          "/event/actor",
          "/event/targets",
          "/event/context",
          "/event/metadata");

  private final String name;
  private final Map<String, JsonNode> byKey;
  private final List<String> problems;

  private StoredRequests(String name, Map<String, JsonNode> byKey, List<String> problems) {
    this.name = name;
    this.byKey = byKey;
    this.problems = problems;
  }

  /** Every request {@code emulator} stored, keyed by its idempotency key. */
  static StoredRequests of(String name, WorkOsEmulator emulator) {
    Map<String, JsonNode> byKey = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (StoredEvent stored : emulator.events()) {
      if (stored.idempotencyKey().isEmpty()) {
        problems.add(name + ": event " + stored.id() + " was stored without an idempotency key");
        continue;
      }
      String key = stored.idempotencyKey().get();
      if (byKey.put(key, body(stored)) != null) {
        problems.add(name + ": idempotency key " + key + " stored more than once");
      }
    }
    return new StoredRequests(name, byKey, problems);
  }

  /** Expected request bodies by idempotency key. */
  static StoredRequests expected(String name, Map<String, JsonNode> byKey) {
    return new StoredRequests(name, new TreeMap<>(byKey), List.of());
  }

  int size() {
    return byKey.size();
  }

  /** Events stored without a key, or under a key stored twice; empty when none. */
  List<String> problems() {
    return problems;
  }

  /**
   * How these requests differ from {@code other}: keys only one side has, and the first key whose
   * request differs, field by field. Empty when both hold the same requests under the same keys.
   */
  String differenceFrom(StoredRequests other) {
    StringBuilder out = new StringBuilder();
    Set<String> onlyHere = new LinkedHashSet<>(byKey.keySet());
    onlyHere.removeAll(other.byKey.keySet());
    Set<String> onlyThere = new LinkedHashSet<>(other.byKey.keySet());
    onlyThere.removeAll(byKey.keySet());
    describeMissing(out, name, other.name, onlyHere, byKey);
    describeMissing(out, other.name, name, onlyThere, other.byKey);
    int differing = 0;
    for (Map.Entry<String, JsonNode> e : byKey.entrySet()) {
      JsonNode theirs = other.byKey.get(e.getKey());
      if (theirs == null || theirs.equals(e.getValue())) {
        continue;
      }
      if (differing++ == 0) {
        out.append(String.format("first differing event, idempotency key %s:%n", e.getKey()));
        describeFields(out, e.getValue(), theirs, other.name);
      }
    }
    if (differing > 0) {
      out.append(String.format("%d event(s) differ in all%n", differing));
    }
    return out.toString();
  }

  private static void describeMissing(
      StringBuilder out, String has, String lacks, Set<String> keys, Map<String, JsonNode> from) {
    if (keys.isEmpty()) {
      return;
    }
    String first = keys.iterator().next();
    out.append(
        String.format(
            "%d idempotency key(s) in %s but not in %s, the first %s: %s%n",
            keys.size(), has, lacks, first, from.get(first)));
  }

  private void describeFields(StringBuilder out, JsonNode mine, JsonNode theirs, String other) {
    Set<String> fields = new LinkedHashSet<>(FIELDS);
    // Anything else either side sent, so that no difference goes unreported.
    for (JsonNode body : List.of(mine, theirs)) {
      for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!field.equals("event")) {
          fields.add("/" + field);
        }
      }
      for (Iterator<String> it = body.path("event").fieldNames(); it.hasNext(); ) {
        fields.add("/event/" + it.next());
      }
    }
    for (String field : fields) {
      describeNode(out, field, mine.at(field), theirs.at(field), other);
    }
  }

  /** Reports a difference at the deepest members where the two sides still differ. */
  private void describeNode(StringBuilder out, String at, JsonNode a, JsonNode b, String other) {
    if (a.equals(b)) {
      return;
    }
    boolean bothObjects = a.isObject() && b.isObject();
    boolean sameSizeArrays = a.isArray() && b.isArray() && a.size() == b.size();
    if (bothObjects || sameSizeArrays) {
      Set<String> members = new LinkedHashSet<>();
      if (bothObjects) {
        a.fieldNames().forEachRemaining(members::add);
        b.fieldNames().forEachRemaining(members::add);
      } else {
        for (int i = 0; i < a.size(); i++) {
          members.add(Integer.toString(i));
        }
      }
      for (String member : members) {
        String pointer = "/" + member.replace("~", "~0").replace("/", "~1");
        describeNode(out, at + pointer, a.at(pointer), b.at(pointer), other);
      }
      return;
    }
    out.append(String.format("  %s: %s has %s, %s has %s%n", at, name, show(a), other, show(b)));
  }

  private static String show(JsonNode node) {
    return node.isMissingNode() ? "nothing" : node.toString();
  }

  private static JsonNode body(StoredEvent stored) {
    try {
      return MAPPER.readTree(stored.requestBody());
    } catch (IOException e) {
      throw new UncheckedIOException("the emulator stored a body that is not JSON", e);
    }
  }
}
