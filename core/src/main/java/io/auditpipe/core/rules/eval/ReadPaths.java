package io.auditpipe.core.rules.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a record's value that compiled rules can read, as a tree of pointer segments with a
 * wildcard for the elements of {@code for_each} arrays. A node marked {@code whole} needs its
 * entire subtree (a leaf path, or JSONata, which may read anything).
 *
 * <p>Member names are kept {@linkplain String#intern() interned}: Jackson's parser interns the
 * names it reads ({@code JsonFactory.Feature.INTERN_FIELD_NAMES}, on by default), so a member the
 * rules read is found by identity, without comparing its characters.
 */
public final class ReadPaths {

  private final Map<String, ReadPaths> children = new HashMap<>();
  private ReadPaths anyElement;
  private boolean whole;

  /** Marks the subtree at {@code segments} (below this node) as read in full. */
  public void add(List<String> segments) {
    ReadPaths node = this;
    for (String s : segments) {
      if (node.whole) {
        return;
      }
      node = node.children.computeIfAbsent(s.intern(), k -> new ReadPaths());
    }
    node.markWhole();
  }

  /** The node for every element of the array at {@code segments}, created if needed. */
  public ReadPaths elementsOf(List<String> segments) {
    ReadPaths node = this;
    for (String s : segments) {
      node = node.children.computeIfAbsent(s.intern(), k -> new ReadPaths());
    }
    if (node.anyElement == null) {
      node.anyElement = new ReadPaths();
    }
    return node.anyElement;
  }

  /** Marks this whole subtree as read. */
  public void markWhole() {
    whole = true;
    children.clear();
    anyElement = null;
  }

  boolean whole() {
    return whole;
  }

  /** Whether the rules visit every element of the array here ({@code for_each}). */
  boolean everyElement() {
    return anyElement != null;
  }

  /** The node for every element of the array here, or {@code null} unless {@link #everyElement}. */
  ReadPaths elements() {
    return anyElement;
  }

  /** The members and indexes below this node that the rules read, by reference token. */
  Map<String, ReadPaths> children() {
    return children;
  }

  /** The node for an object member, or {@code null} when the rules never read it. */
  ReadPaths member(String name) {
    return children.get(name);
  }

  /** The node for an array element: by index, or any element, or {@code null}. */
  ReadPaths element(int index) {
    if (children.isEmpty()) {
      return anyElement;
    }
    ReadPaths byIndex = children.get(Integer.toString(index));
    if (byIndex == null) {
      return anyElement;
    }
    if (anyElement == null) {
      return byIndex;
    }
    return byIndex.whole ? byIndex : anyElement.whole ? anyElement : merged(byIndex, anyElement);
  }

  /** A node reading what {@code a} and {@code b} read. */
  static ReadPaths merged(ReadPaths a, ReadPaths b) {
    ReadPaths m = new ReadPaths();
    m.mergeFrom(a);
    m.mergeFrom(b);
    return m;
  }

  private void mergeFrom(ReadPaths other) {
    if (whole) {
      return;
    }
    if (other.whole) {
      markWhole();
      return;
    }
    for (Map.Entry<String, ReadPaths> e : other.children.entrySet()) {
      children.computeIfAbsent(e.getKey(), k -> new ReadPaths()).mergeFrom(e.getValue());
    }
    if (other.anyElement != null) {
      if (anyElement == null) {
        anyElement = new ReadPaths();
      }
      anyElement.mergeFrom(other.anyElement);
    }
  }
}
