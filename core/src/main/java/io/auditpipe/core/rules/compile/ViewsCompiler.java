package io.auditpipe.core.rules.compile;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.rules.eval.JsonPointerPath;
import io.auditpipe.core.rules.eval.View;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles the document's {@code views} (pointer → {@code {"parse": "json"|"base64_json"}} or
 * {@code {"first_present": [pointer, …]}}) and the named lookup {@code tables}, both declared once
 * at document level and used by every rule.
 */
final class ViewsCompiler {

  private static final LinkedHashSet<String> VIEW_KEYS =
      new LinkedHashSet<>(List.of("parse", "first_present", "description"));

  private final Problems problems;
  private final ValueCompiler values;

  ViewsCompiler(Problems problems, ValueCompiler values) {
    this.problems = problems;
    this.values = values;
  }

  void views(JsonNode node, At at) {
    if (node == null) {
      return;
    }
    if (!node.isObject()) {
      problems.expected(
          at, "an object mapping JSON Pointers to views such as {\"parse\": \"json\"}", node);
      return;
    }
    int id = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      At viewAt = at.key(e.getKey());
      JsonPointerPath.Parsed pointer = JsonPointerPath.parse(e.getKey());
      if (pointer.path().isEmpty()) {
        problems.add(viewAt, "path \"" + e.getKey() + "\": " + pointer.error());
        continue;
      }
      if (e.getKey().isEmpty()) {
        problems.add(
            viewAt, "expected a JSON Pointer below the record's root, such as \"/payload\"");
        continue;
      }
      JsonNode spec = e.getValue();
      if (!spec.isObject()) {
        problems.expected(
            viewAt, "a view: {\"parse\": \"json\"} or {\"first_present\": [\"/after\", …]}", spec);
        continue;
      }
      problems.unknownKeys(spec, viewAt, VIEW_KEYS);
      boolean parse = spec.has("parse");
      if (parse == spec.has("first_present")) {
        problems.add(
            viewAt,
            "expected exactly one of parse, first_present, found "
                + (parse ? "parse and first_present" : "none"));
        continue;
      }
      View.Kind kind;
      List<JsonPointerPath> sources = new ArrayList<>();
      if (parse) {
        JsonNode format = spec.get("parse");
        if (format.isTextual() && format.textValue().equals("json")) {
          kind = View.Kind.JSON;
        } else if (format.isTextual() && format.textValue().equals("base64_json")) {
          kind = View.Kind.BASE64_JSON;
        } else {
          problems.add(
              viewAt.key("parse"),
              "expected one of json, base64_json, found "
                  + (format.isTextual() ? "\"" + format.textValue() + "\"" : kindOf(format)));
          continue;
        }
        sources.add(pointer.path().get());
      } else {
        kind = View.Kind.FIRST_PRESENT;
        JsonNode list = spec.get("first_present");
        At listAt = viewAt.key("first_present");
        if (!list.isArray() || list.isEmpty()) {
          problems.expected(listAt, "a non-empty array of JSON Pointers", list);
          continue;
        }
        for (int i = 0; i < list.size(); i++) {
          values.pointer(list.get(i), listAt.index(i)).ifPresent(sources::add);
        }
        if (sources.size() != list.size()) {
          continue;
        }
      }
      Optional<String> shadowed =
          values.declareView(pointer.path().get(), kind, sources, id++, node.size());
      shadowed.ifPresent(
          later ->
              problems.add(
                  viewAt,
                  "declare this view before \""
                      + later
                      + "\", which is below it: a view reads through the views declared"
                      + " before it"));
    }
  }

  void tables(JsonNode node, At at) {
    if (node == null) {
      return;
    }
    if (!node.isObject()) {
      problems.expected(at, "an object mapping table names to lookup tables", node);
      return;
    }
    Map<String, Map<String, JsonNode>> named = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      At tableAt = at.key(e.getKey());
      if (e.getKey().isEmpty()) {
        problems.add(tableAt, "expected a non-empty table name");
      } else if (!e.getValue().isObject()) {
        problems.expected(tableAt, "an object mapping values to results", e.getValue());
      } else {
        named.put(e.getKey(), values.table(e.getValue(), tableAt));
      }
    }
    values.tables(named);
  }

  private static String kindOf(JsonNode node) {
    return io.auditpipe.core.model.AuditEventJson.kind(node);
  }
}
