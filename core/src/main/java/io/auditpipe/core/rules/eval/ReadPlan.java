package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A document's rules compiled into one pass over a record's JSON bytes: the parser walks only the
 * members on the rules' paths, skips everything else, and hands over the node at each {@link
 * RootPath} without building the tree around it. Only what a path ends in (a leaf, or a subtree
 * read whole) becomes nodes, built as {@link ProjectedReader} builds them, so every path resolves
 * to the same node as in the projected (and the full) tree. The elements of a {@code for_each}
 * array become rows: per element, the values at the paths the rules read relative to it.
 *
 * <p>Records are read by {@link JsonByteScanner}, straight from the bytes, unless they are outside
 * the strict subset of JSON it reads; those go through Jackson's parser, which also makes every
 * decision about malformed JSON. Both read the same values.
 *
 * <p>A document whose rules read the whole record (JSONata, or the pointer {@code ""}) has no plan
 * to speak of: {@link #readsWholeDocument()} says so, and its records are mapped as trees.
 * Immutable and thread-safe.
 */
public final class ReadPlan {

  // Array elements up to this index are looked up in an array, beyond it by name (a rule may
  // name any index up to 999,999,999; that must not size an array).
  private static final int MAX_DIRECT_INDEX = 64;
  private static final Step[] NO_STEPS = new Step[0];
  private static final int[] NO_IDS = new int[0];

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
   * @param elementPaths per {@code for_each} array (by the node {@link ReadPaths#elementsOf}
   *     returned), the paths the rules read relative to its elements, at their element ids
   */
  public static ReadPlan of(
      ReadPaths read,
      List<JsonPointerPath> rootPaths,
      Map<ReadPaths, List<JsonPointerPath>> elementPaths) {
    return new ReadPlan(new Planner(elementPaths).plan(read, rootPaths, false), rootPaths.size());
  }

  /** Whether records must be mapped as trees: a rule may read anything (JSONata, {@code ""}). */
  public boolean readsWholeDocument() {
    return root.build != null;
  }

  /**
   * Reads the value at every root path of the rules from a record's JSON bytes, in one pass. Each
   * entry, at the index of a {@link RootPath#id()}, is the path's {@link JsonNode}, {@code null}
   * where the path does not exist, or for a {@code for_each} array its {@link Rows}. Every byte is
   * tokenized, so malformed JSON fails as with {@code ObjectMapper.readTree}; only the first JSON
   * value is read, as there.
   *
   * @throws IOException if {@code json} is not valid JSON
   */
  public Object[] read(byte[] json) throws IOException {
    Object[] values = scan(json);
    return values != null ? values : readWithParser(json);
  }

  /**
   * {@link #read} by {@link JsonByteScanner}, or {@code null} when the record is outside what it
   * reads (it then goes to {@link #readWithParser}).
   */
  Object[] scan(byte[] json) {
    return JsonByteScanner.read(json, root, pathCount);
  }

  /** {@link #read} with Jackson's parser, for what {@link JsonByteScanner} hands over. */
  Object[] readWithParser(byte[] json) throws IOException {
    Object[] values = new Object[pathCount];
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

  /** The elements of a {@code for_each} array: per element, its values by element path id. */
  // A carrier read once by the evaluator; never compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  public record Rows(Object[][] rows) {}

  private static void visit(JsonParser p, JsonToken t, Step step, Object[] values)
      throws IOException {
    if (step.elements != null && t == JsonToken.START_ARRAY) {
      List<Object[]> rows = new ArrayList<>(4);
      for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
        Object[] row = new Object[step.elementCount];
        visit(p, v, step.elements, row);
        rows.add(row);
      }
      Rows read = new Rows(rows.toArray(new Object[0][]));
      for (int id : step.ids) {
        values[id] = read;
      }
      return;
    }
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
        Step child = step.element(i);
        if (child == null) {
          p.skipChildren();
        } else {
          visit(p, v, child, values);
        }
      }
    }
    // A scalar where the rules expect members or elements: no path below it exists.
  }

  /** Builds the steps, root paths first, then each {@code for_each}'s element paths. */
  private static final class Planner {

    private final Map<ReadPaths, List<JsonPointerPath>> elementPaths;

    Planner(Map<ReadPaths, List<JsonPointerPath>> elementPaths) {
      this.elementPaths = elementPaths;
    }

    /** The step for {@code paths} (numbered by their index) below {@code start}. */
    Step plan(ReadPaths start, List<JsonPointerPath> paths, boolean inElement) {
      IdentityHashMap<ReadPaths, List<Integer>> idsAt = new IdentityHashMap<>();
      List<JsonPointerPath> rest = new ArrayList<>(paths.size());
      for (int id = 0; id < paths.size(); id++) {
        JsonPointerPath path = paths.get(id);
        ReadPaths node = start;
        int depth = 0;
        for (; !stopsAt(node); depth++) {
          node = depth < path.segments().size() ? node.member(path.segments().get(depth)) : null;
          if (node == null) {
            throw new IllegalStateException("path " + path + " is not among the rules' read paths");
          }
        }
        idsAt.computeIfAbsent(node, k -> new ArrayList<>()).add(id);
        rest.add(path.suffix(depth));
      }
      return step(start, rest, idsAt, inElement);
    }

    /** Where the walk stops: a value built whole, or (at the root) a {@code for_each} array. */
    private static boolean stopsAt(ReadPaths node) {
      return node.whole() || node.everyElement();
    }

    /**
     * A {@code for_each} array read as rows: nothing but its elements is read below it (a path such
     * as {@code /items/0/sku} beside {@code for_each: /items} builds the array instead).
     */
    private static boolean readAsRows(ReadPaths node, boolean inElement) {
      return !inElement && !node.whole() && node.everyElement() && node.children().isEmpty();
    }

    private static JsonPointerPath[] rests(int[] ids, List<JsonPointerPath> rest) {
      JsonPointerPath[] out = new JsonPointerPath[ids.length];
      for (int k = 0; k < ids.length; k++) {
        out[k] = rest.get(ids[k]);
      }
      return out;
    }

    private Step step(
        ReadPaths node,
        List<JsonPointerPath> rest,
        Map<ReadPaths, List<Integer>> idsAt,
        boolean inElement) {
      int[] ids = idsAt.getOrDefault(node, List.of()).stream().mapToInt(i -> i).toArray();
      if (readAsRows(node, inElement)) {
        List<JsonPointerPath> relative = elementPaths.getOrDefault(node.elements(), List.of());
        return new Step(
            node,
            PlanMembers.NONE,
            NO_STEPS,
            ids,
            rests(ids, rest),
            ids,
            plan(node.elements(), relative, true),
            relative.size());
      }
      if (stopsAt(node)) {
        return new Step(node, PlanMembers.NONE, NO_STEPS, ids, rests(ids, rest), ids, null, 0);
      }
      Map<String, Step> members = new HashMap<>();
      List<Step> byIndex = new ArrayList<>();
      List<Integer> below = new ArrayList<>();
      for (Map.Entry<String, ReadPaths> e : node.children().entrySet()) {
        Step child = step(e.getValue(), rest, idsAt, inElement);
        // Interned like the parser's member names, so that hits compare references.
        members.put(e.getKey().intern(), child);
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
          new PlanMembers(members),
          byIndex.toArray(NO_STEPS),
          NO_IDS,
          new JsonPointerPath[0],
          below.stream().mapToInt(i -> i).toArray(),
          null,
          0);
    }
  }

  /**
   * One node of the plan: walked by member name or array index; or built whole ({@code build}),
   * resolving {@code ids} by their {@code rest} of the path; or, for a {@code for_each} array, read
   * into rows by the {@code elements} step when it is an array (built whole otherwise).
   */
  // Plan nodes are built once and walked; never compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  record Step(
      ReadPaths build,
      PlanMembers members,
      Step[] byIndex,
      int[] ids,
      JsonPointerPath[] rest,
      int[] idsBelow,
      Step elements,
      int elementCount) {

    /** The step for the array element at {@code index}, or {@code null}. */
    Step element(int index) {
      if (index < byIndex.length) {
        return byIndex[index];
      }
      return index >= MAX_DIRECT_INDEX ? members.get(Integer.toString(index)) : null;
    }
  }
}
