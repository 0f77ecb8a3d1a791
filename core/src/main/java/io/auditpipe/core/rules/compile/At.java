package io.auditpipe.core.rules.compile;

/**
 * A place in the rules document, both as people read it ({@code rules[2] "order-paid" actor.id})
 * and as a JSON Pointer ({@code /rules/2/actor/id}).
 */
record At(String label, String pointer, boolean afterRule) {

  static final At ROOT = new At("", "", false);

  /** The location of rule {@code index}, named when it has a name. */
  static At rule(int index, String name) {
    String label = "rules[" + index + "]" + (name.isEmpty() ? "" : " \"" + name + "\"");
    return new At(label, "/rules/" + index, true);
  }

  At key(String key) {
    String sep = label.isEmpty() ? "" : afterRule ? " " : ".";
    return new At(label + sep + key, pointer + "/" + escape(key), false);
  }

  At index(int i) {
    return new At(label + "[" + i + "]", pointer + "/" + i, false);
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
