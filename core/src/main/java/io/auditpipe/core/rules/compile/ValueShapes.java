package io.auditpipe.core.rules.compile;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.rules.ValueShape;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link ValueShape} of a value specification the compiler accepted: read from the same
 * specification and named tables the value was compiled from, so tools never re-read the document.
 */
final class ValueShapes {

  private static final Optional<List<String>> DECIDED_BY_RECORD = Optional.empty();

  private final Map<String, Map<String, JsonNode>> tables;

  ValueShapes(Map<String, Map<String, JsonNode>> tables) {
    this.tables = tables;
  }

  /** A template string: its text when it has no placeholder ({@code literal}), else any string. */
  static ValueShape template(Optional<String> literal) {
    return new ValueShape(
        EnumSet.of(ValueShape.Type.STRING),
        literal.map(List::of).or(() -> DECIDED_BY_RECORD),
        false);
  }

  /** The external id an {@code organization_id} of the form {@code {"external_id": v}} carries. */
  static ValueShape externalId() {
    return new ValueShape(EnumSet.of(ValueShape.Type.STRING), DECIDED_BY_RECORD, false);
  }

  /** The shape of a valid value specification that is not a template string. */
  ValueShape of(JsonNode spec, boolean optional) {
    Shape s = shape(spec);
    return new ValueShape(s.types, s.texts, optional);
  }

  /** Whether {@code spec} resolves an external id ({@code external_id}) anywhere inside. */
  static boolean usesExternalId(JsonNode spec) {
    if (spec == null || !spec.isObject()) {
      return false;
    }
    if (spec.has("external_id")) {
      return true;
    }
    if (spec.has("lookup") && usesExternalId(spec.get("lookup"))) {
      return true;
    }
    if (spec.path("coalesce").isArray()) {
      for (JsonNode v : spec.get("coalesce")) {
        if (usesExternalId(v)) {
          return true;
        }
      }
    }
    return false;
  }

  private record Shape(Set<ValueShape.Type> types, Optional<List<String>> texts) {}

  private Shape shape(JsonNode spec) {
    if (spec.isTextual()) {
      // Only placeholder-free templates reach here (as a literal, coalesce member or default).
      return new Shape(EnumSet.of(ValueShape.Type.STRING), Optional.of(List.of(spec.textValue())));
    }
    if (spec.isNumber()) {
      return new Shape(EnumSet.of(ValueShape.Type.NUMBER), Optional.of(List.of(spec.asText())));
    }
    if (spec.isBoolean()) {
      return new Shape(EnumSet.of(ValueShape.Type.BOOLEAN), Optional.of(List.of(spec.asText())));
    }
    if (!spec.isObject()) {
      return new Shape(EnumSet.allOf(ValueShape.Type.class), DECIDED_BY_RECORD);
    }
    if (spec.has("fn") || spec.has("timestamp") || spec.has("join")) {
      return new Shape(EnumSet.of(ValueShape.Type.STRING), DECIDED_BY_RECORD);
    }
    Shape source = source(spec);
    JsonNode fallback = spec.get("default");
    if (fallback == null) {
      return source;
    }
    Shape other = shape(fallback);
    Set<ValueShape.Type> types = EnumSet.copyOf(source.types);
    types.addAll(other.types);
    return new Shape(types, union(List.of(source.texts, other.texts)));
  }

  private Shape source(JsonNode spec) {
    if (spec.has("literal")) {
      return shape(spec.get("literal"));
    }
    if (spec.has("lookup")) {
      JsonNode table = spec.get("table");
      Iterable<JsonNode> results =
          table.isTextual() ? tables.getOrDefault(table.textValue(), Map.of()).values() : table;
      Set<ValueShape.Type> types = EnumSet.noneOf(ValueShape.Type.class);
      List<Optional<List<String>>> texts = new ArrayList<>();
      for (JsonNode result : results) {
        Shape s = shape(result);
        types.addAll(s.types);
        texts.add(s.texts);
      }
      return types.isEmpty()
          ? new Shape(EnumSet.allOf(ValueShape.Type.class), DECIDED_BY_RECORD)
          : new Shape(types, union(texts));
    }
    if (spec.has("coalesce")) {
      Set<ValueShape.Type> types = EnumSet.noneOf(ValueShape.Type.class);
      List<Optional<List<String>>> texts = new ArrayList<>();
      for (JsonNode member : spec.get("coalesce")) {
        Shape s = member.isTextual() ? templateShape(member.textValue()) : shape(member);
        types.addAll(s.types);
        texts.add(s.texts);
      }
      return new Shape(types, union(texts));
    }
    if (spec.has("header") || spec.has("external_id")) {
      return new Shape(EnumSet.of(ValueShape.Type.STRING), DECIDED_BY_RECORD);
    }
    if (spec.has("record")) {
      String field = spec.get("record").asText();
      return new Shape(
          field.equals("partition") || field.equals("offset")
              ? EnumSet.of(ValueShape.Type.NUMBER)
              : EnumSet.of(ValueShape.Type.STRING),
          DECIDED_BY_RECORD);
    }
    // path, root, key, jsonata: whatever the record holds.
    return new Shape(EnumSet.allOf(ValueShape.Type.class), DECIDED_BY_RECORD);
  }

  /** A template inside a coalesce: a fixed text only when it has no placeholder. */
  private static Shape templateShape(String template) {
    String unescaped = template.replace("{{", "").replace("}}", "");
    return unescaped.contains("{")
        ? new Shape(EnumSet.of(ValueShape.Type.STRING), DECIDED_BY_RECORD)
        : new Shape(
            EnumSet.of(ValueShape.Type.STRING),
            Optional.of(List.of(template.replace("{{", "{").replace("}}", "}"))));
  }

  /** Every text of every part when each part's texts are fixed; else decided by the record. */
  private static Optional<List<String>> union(List<Optional<List<String>>> parts) {
    Set<String> all = new LinkedHashSet<>();
    for (Optional<List<String>> part : parts) {
      if (part.isEmpty()) {
        return DECIDED_BY_RECORD;
      }
      all.addAll(part.get());
    }
    return Optional.of(List.copyOf(all));
  }
}
