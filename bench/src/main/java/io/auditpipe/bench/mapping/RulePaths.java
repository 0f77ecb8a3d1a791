package io.auditpipe.bench.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The record paths a rules document reads, collected from its text: every {@code "path"} and {@code
 * "for_each"}, with paths inside a fanned-out target under {@code <for_each>/*}. A stand-in for
 * what the compiler knows after compiling; enough for documents without JSONata or templates over
 * unlisted paths, such as the reference workload.
 */
final class RulePaths {

  private RulePaths() {}

  static Set<String> of(String rulesDocument) {
    JsonNode document;
    try {
      document = new ObjectMapper().readTree(rulesDocument);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> paths = new LinkedHashSet<>();
    collect(document, "", paths);
    return paths;
  }

  private static void collect(JsonNode node, String prefix, Set<String> paths) {
    if (node.isArray()) {
      node.forEach(element -> collect(element, prefix, paths));
      return;
    }
    if (!node.isObject()) {
      if (node.isTextual() && node.textValue().contains("{/")) {
        collectTemplate(node.textValue(), prefix, paths);
      }
      return;
    }
    String inner = prefix;
    JsonNode forEach = node.get("for_each");
    if (forEach != null && forEach.isTextual()) {
      inner = prefix + forEach.textValue() + "/*";
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("path") && field.getValue().isTextual()) {
        paths.add(inner + field.getValue().textValue());
      } else {
        collect(field.getValue(), inner, paths);
      }
    }
  }

  private static void collectTemplate(String template, String prefix, Set<String> paths) {
    for (int open = template.indexOf("{/"); open >= 0; open = template.indexOf("{/", open + 1)) {
      int close = template.indexOf('}', open);
      if (close > open) {
        paths.add(prefix + template.substring(open + 1, close));
      }
    }
  }
}
