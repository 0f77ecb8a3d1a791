package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A document's rules compiled into one pass over a record's JSON bytes: the parser walks only the
 * members on the rules' paths, skips everything else, and hands over the node at each {@link
 * RootPath} without building the tree around it. Only what a path ends in (a leaf, a subtree read
 * whole, a {@code for_each} array) becomes nodes, built as {@link ProjectedReader} builds them, so
 * every path resolves to the same node as in the projected (and the full) tree.
 *
 * <p>A document whose rules read the whole record (JSONata, or the pointer {@code ""}) has no plan
 * to speak of: {@link #readsWholeDocument()} says so, and its records are mapped as trees.
 * Immutable and thread-safe.
 */
public final class ReadPlan {

  // Array elements up to this index are looked up in an array, beyond it by name (a rule may
  // name any index up to 999,999,999; that must not size an array).
  private static final int MAX_DIRECT_INDEX = 64;

  private final Step root;
  private final int pathCount;

  private ReadPlan(Step root, int pathCount) {
    this.root = root;
    this.pathCount = pathCount;
  }

  /**
   * The plan for the paths in {@code read}.
   *
   * @param rootPaths every path from the root the rules read, at the index of its {@link
   *     RootPath#id()}; each is in {@code read}
   */
  public static ReadPlan of(ReadPaths read, List<JsonPointerPath> rootPaths) {
    Map<ReadPaths, List<Integer>> idsAt = new HashMap<>();
    List<JsonPointerPath> rest = new ArrayList<>(rootPaths.size());
    for (int id = 0; id < rootPaths.size(); id++) {
      JsonPointerPath path = rootPaths.get(id);
      ReadPaths node = read;
      int depth = 0;
      for (; !builtWhole(node); depth++) {
        node = depth < path.segments().size() ? node.member(path.segments().get(depth)) : null;
        if (node == null) {
          throw new IllegalStateException("path " + path + " is not among the rules' read paths");
        }
      }
      idsAt.computeIfAbsent(node, k -> new ArrayList<>()).add(id);
      rest.add(path.suffix(depth));
    }
    return new ReadPlan(step(read, rest, idsAt), rootPaths.size());
  }

  /** Where the plan stops walking and builds the value: a leaf or a {@code for_each} array. */
  private static boolean builtWhole(ReadPaths node) {
    return node.whole() || node.everyElement();
  }

  private static Step step(
      ReadPaths node, List<JsonPointerPath> rest, Map<ReadPaths, List<Integer>> idsAt) {
    if (builtWhole(node)) {
      List<Integer> ids = idsAt.getOrDefault(node, List.of());
      int[] at = ids.stream().mapToInt(Integer::intValue).toArray();
      JsonPointerPath[] below = new JsonPointerPath[at.length];
      for (int k = 0; k < at.length; k++) {
        below[k] = rest.get(at[k]);
      }
      return new Step(node, Map.of(), new Step[0], at, below, at);
    }
    Map<String, Step> members = new HashMap<>();
    List<Step> byIndex = new ArrayList<>();
    List<Integer> below = new ArrayList<>();
    for (Map.Entry<String, ReadPaths> e : node.children().entrySet()) {
      Step child = step(e.getValue(), rest, idsAt);
      members.put(e.getKey(), child);
      int index = JsonPointerPath.arrayIndex(e.getKey());
      if (index >= 0 && index < MAX_DIRECT_INDEX) {
        while (byIndex.size() <= index) {
          byIndex.add(null);
        }
        byIndex.set(index, child);
      }
      for (int id : child.idsBelow) {
        below.add(id);
      }
    }
    return new Step(
        null,
        Map.copyOf(members),
        byIndex.toArray(new Step[0]),
        new int[0],
        new JsonPointerPath[0],
        below.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Whether records must be mapped as trees: a rule may read anything (JSONata, {@code ""}). */
  public boolean readsWholeDocument() {
    return root.build != null;
  }

  /** How many values {@link #read} returns: one per {@link RootPath#id()}. */
  public int pathCount() {
    return pathCount;
  }

  /**
   * Reads the value at every root path of the rules from a record's JSON bytes, in one pass; {@code
   * null} where a path does not exist. Every byte is tokenized, so malformed JSON fails as with
   * {@code ObjectMapper.readTree}; only the first JSON value is read, as there.
   *
   * @throws IOException if {@code json} is not valid JSON
   */
  public JsonNode[] read(byte[] json) throws IOException {
    JsonNode[] values = new JsonNode[pathCount];
    try (JsonParser p = ProjectedReader.FACTORY.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t != null) {
        visit(p, t, root, values);
        // A scalar record is left unread by visit; a tree decodes it, and so fails if it is cut
        // short: so must this.
        p.finishToken();
      }
    }
    return values;
  }

  private static void visit(JsonParser p, JsonToken t, Step step, JsonNode[] values)
      throws IOException {
    if (step.build != null) {
      JsonNode value = ProjectedReader.value(p, t, step.build);
      for (int k = 0; k < step.ids.length; k++) {
        values[step.ids[k]] = step.rest[k].resolve(value);
      }
      return;
    }
    if (t == JsonToken.START_OBJECT) {
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        JsonToken v = p.nextToken();
        Step child = step.members.get(name);
        if (child == null) {
          p.skipChildren();
        } else {
          // A repeated member replaces the first, as in a tree: forget what the first one held.
          for (int id : child.idsBelow) {
            values[id] = null;
          }
          visit(p, v, child, values);
        }
      }
    } else if (t == JsonToken.START_ARRAY) {
      int i = 0;
      for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken(), i++) {
        Step child =
            i < step.byIndex.length
                ? step.byIndex[i]
                : i >= MAX_DIRECT_INDEX ? step.members.get(Integer.toString(i)) : null;
        if (child == null) {
          p.skipChildren();
        } else {
          visit(p, v, child, values);
        }
      }
    }
    // A scalar where the rules expect members or elements: no path below it exists.
  }

  /**
   * One node of the plan: either built whole ({@code build}, resolving {@code ids} by their {@code
   * rest} of the path), or walked by member name or array index.
   */
  private record Step(
      ReadPaths build,
      Map<String, Step> members,
      Step[] byIndex,
      int[] ids,
      JsonPointerPath[] rest,
      int[] idsBelow) {}
}
