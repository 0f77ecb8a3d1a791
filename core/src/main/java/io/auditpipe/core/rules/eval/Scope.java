package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.auditpipe.core.deadletter.FailureStage;
import io.auditpipe.core.rules.MappingFailure;
import io.auditpipe.core.rules.RecordContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of mapping one record: its value and context, the element a {@code for_each} is
 * visiting, and the failures found so far. One per {@code map} call, confined to its thread.
 */
public final class Scope {

  /**
   * Returned by a {@link Value} that has already recorded a failure; compared by identity, never
   * written anywhere.
   */
  public static final JsonNode FAILED = new TextNode("\u0000failed");

  /** Whether {@code node} is {@link #FAILED}. */
  // Identity on purpose: a record may hold a text equal to FAILED's, which is data, not a failure.
  @SuppressWarnings("ReferenceEquality")
  public static boolean failed(JsonNode node) {
    return node == FAILED;
  }

  /** Whether the current node is the record's root itself, whose JSONata input is cached. */
  // Identity on purpose: a node inside the record may equal the root without being it.
  @SuppressWarnings("ReferenceEquality")
  boolean atRoot() {
    return current() == root();
  }

  private final JsonNode root;
  private final RecordContext record;
  private JsonNode current;
  private String rule = "";
  private String at = "";
  private String missing = "";
  private List<MappingFailure> failures;
  private JsonataInput jsonataInput;
  private Object[] views;
  private Set<String> viewFailures;

  /** A view computed for this record that is absent; compared by identity. */
  private static final Object ABSENT = new Object();

  /** A scope over the record's value as a tree. */
  public Scope(JsonNode root, RecordContext record) {
    this.root = root;
    this.record = record;
    this.current = root;
  }

  /** The record's value. */
  public JsonNode root() {
    return root;
  }

  /** The node at {@code path} in the record, or {@code null} when there is none. */
  public JsonNode rootPath(RootPath path) {
    if (path.view() != null) {
      JsonNode base = view(path.view());
      return base == null || failed(base) ? base : path.rest().resolve(base);
    }
    return path.path().resolve(root);
  }

  /**
   * The node of {@code view} in this record, computed on first use: {@code null} when absent,
   * {@link #FAILED} when it could not be computed. The failure is recorded again for every field
   * that reads the view, so that each field that could not be built says why.
   */
  JsonNode view(View view) {
    if (views == null) {
      views = new Object[view.count()];
    }
    Object known = views[view.id()];
    if (known == null) {
      int before = failureCount();
      JsonNode node = view.compute(this);
      if (failed(node) && failureCount() > before) {
        String reason = failures.get(failureCount() - 1).reason();
        if (viewFailures == null) {
          viewFailures = new HashSet<>(2);
        }
        viewFailures.add(reason);
        views[view.id()] = new ViewFailure(reason);
      } else {
        views[view.id()] = node == null ? ABSENT : node;
      }
      return node;
    }
    if (known instanceof ViewFailure f) {
      return fail(f.reason());
    }
    return known == ABSENT ? null : (JsonNode) known;
  }

  private record ViewFailure(String reason) {}

  /** The node relative paths start from: the record's value, or a {@code for_each} element. */
  public JsonNode current() {
    return current;
  }

  public void current(JsonNode node) {
    this.current = node;
  }

  public RecordContext record() {
    return record;
  }

  /** Sets the rule and field being evaluated, used as the location of failures. */
  public void at(String rule, String location) {
    this.rule = rule;
    this.at = location;
  }

  public String location() {
    return at;
  }

  /** Records why the last value was absent; the field decides whether that is an error. */
  public JsonNode missing(String reason) {
    this.missing = reason;
    return null;
  }

  public String missingReason() {
    return missing;
  }

  /** Records a failure at the current location and returns {@link #FAILED}. */
  public JsonNode fail(String reason) {
    failAt(at, reason);
    return FAILED;
  }

  public void failAt(String location, String reason) {
    failAt(FailureStage.MAP, location, reason);
  }

  public void failAt(FailureStage stage, String location, String reason) {
    if (failures == null) {
      failures = new ArrayList<>(2);
    }
    failures.add(new MappingFailure(stage, rule, location, reason));
  }

  /** Appends {@code note} to the reason of every failure recorded since {@code from}. */
  public void annotateSince(int from, String note) {
    for (int i = from; i < failureCount(); i++) {
      MappingFailure f = failures.get(i);
      failures.set(i, new MappingFailure(f.stage(), f.rule(), f.location(), f.reason() + note));
    }
  }

  public int failureCount() {
    return failures == null ? 0 : failures.size();
  }

  /**
   * Every failure recorded. A view that could not be computed fails every field that read it; per
   * rule, those failures are reported as one, at the first field, saying how many more read it.
   */
  public List<MappingFailure> failures() {
    if (failures == null) {
      return List.of();
    }
    return viewFailures == null ? failures : collapsed();
  }

  private List<MappingFailure> collapsed() {
    List<MappingFailure> out = new ArrayList<>(failures.size());
    Map<String, int[]> more = new HashMap<>();
    Map<String, Integer> at = new HashMap<>();
    for (MappingFailure f : failures) {
      if (viewFailures.contains(f.reason())) {
        String key = f.rule() + '\u0000' + f.reason();
        int[] count = more.get(key);
        if (count != null) {
          count[0]++;
          continue;
        }
        more.put(key, new int[1]);
        at.put(key, out.size());
      }
      out.add(f);
    }
    more.forEach(
        (key, count) -> {
          if (count[0] > 0) {
            int i = at.get(key);
            MappingFailure f = out.get(i);
            out.set(
                i,
                new MappingFailure(
                    f.stage(),
                    f.rule(),
                    f.location(),
                    f.reason()
                        + " ("
                        + count[0]
                        + (count[0] == 1 ? " more field" : " more fields")
                        + " of the rule read it)"));
          }
        });
    return out;
  }

  /** The record converted for JSONata once, shared by every expression of this record. */
  public JsonataInput jsonataInput() {
    if (jsonataInput == null) {
      jsonataInput = new JsonataInput(root, record);
    }
    return jsonataInput;
  }
}
