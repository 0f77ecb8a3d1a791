package io.auditpipe.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives each action's WorkOS schema from a rules document: which target types the action's events
 * carry, and the event, actor and target metadata keys with their JSON types.
 *
 * <p>It reads the document, not records, so it knows what the rules can say statically: an action
 * must be a literal or a lookup table's values (inline or one of the document's named {@code
 * tables}), a target type a literal. A metadata value from a path may be any of string, number or
 * boolean; functions, templates, timestamps and {@code join} give strings; literals and lookup
 * tables give their own types. Defaults merge as the compiler merges them: the document's, then the
 * rule's group's, then the rule's own. A key is required when every rule producing the action
 * always sets it. Anything it cannot decide is reported as a note, not guessed.
 *
 * @param schemas the request body of {@code POST /audit_logs/actions/{action}/schemas} per action,
 *     in document order
 * @param notes what could not be derived, each naming the rule
 */
public record ActionSchemas(Map<String, ObjectNode> schemas, List<String> notes) {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The JSON types a metadata value can have in WorkOS. */
  enum Type {
    STRING,
    NUMBER,
    BOOLEAN;

    String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A metadata key's possible types and whether every event has it. */
  private record Field(Set<Type> types, boolean required) {
    Field merge(Field other) {
      Set<Type> union = EnumSet.noneOf(Type.class);
      union.addAll(types);
      union.addAll(other.types);
      return new Field(union, required && other.required);
    }
  }

  /** What the rules say about one action, accumulated over the rules that produce it. */
  private static final class Accumulated {
    final Map<String, Map<String, Field>> targets = new LinkedHashMap<>();
    Map<String, Field> actor;
    Map<String, Field> metadata;
    int rules;

    void add(
        Map<String, Map<String, Field>> ruleTargets, Map<String, Field> a, Map<String, Field> m) {
      if (rules == 0) {
        targets.putAll(ruleTargets);
        actor = a;
        metadata = m;
      } else {
        // A target type only required when every rule producing the action has it.
        targets.keySet().retainAll(ruleTargets.keySet());
        targets.replaceAll((type, fields) -> merge(fields, ruleTargets.get(type)));
        actor = merge(actor, a);
        metadata = merge(metadata, m);
      }
      rules++;
    }
  }

  /** Derives the schemas of {@code document}, a rules document that compiles. */
  public static ActionSchemas derive(String document) {
    JsonNode root;
    try {
      root = MAPPER.readTree(document);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("expected a JSON rules document", e);
    }
    JsonNode documentDefaults = root.path("defaults");
    JsonNode tables = root.path("tables");
    List<String> notes = new ArrayList<>();
    Map<String, Accumulated> byAction = new LinkedHashMap<>();
    JsonNode rules = root.path("rules");
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      String where = "rules[" + i + "] \"" + rule.path("name").asText() + "\"";
      JsonNode defaults =
          rule.path("group").isTextual()
              ? mergedDefaults(
                  documentDefaults,
                  root.path("groups").path(rule.path("group").textValue()).path("defaults"))
              : documentDefaults;
      List<String> actions = actions(rule.path("action"), tables);
      if (actions.isEmpty()) {
        notes.add(
            where
                + " action: computed from the record (path, template or expression); its"
                + " schema cannot be derived from the rules");
        continue;
      }
      Map<String, Map<String, Field>> targets = new LinkedHashMap<>();
      for (JsonNode target : rule.path("targets")) {
        JsonNode type = target.path("type");
        if (!isLiteralString(type)) {
          notes.add(where + " targets: a target type computed from the record is left out");
          continue;
        }
        targets.merge(
            literalString(type), fields(target.path("metadata"), tables), ActionSchemas::merge);
      }
      Map<String, Field> actor =
          fields(
              mergedObject(
                  defaults.path("actor").path("metadata"), rule.path("actor").path("metadata")),
              tables);
      Map<String, Field> metadata =
          fields(mergedObject(defaults.path("metadata"), rule.path("metadata")), tables);
      for (String action : actions) {
        byAction.computeIfAbsent(action, a -> new Accumulated()).add(targets, actor, metadata);
      }
    }
    Map<String, ObjectNode> schemas = new LinkedHashMap<>();
    byAction.forEach(
        (action, acc) -> {
          if (acc.targets.isEmpty()) {
            notes.add(
                "action "
                    + action
                    + ": no target type common to all its rules; WorkOS requires at least one,"
                    + " so it is left out");
            return;
          }
          ObjectNode body = JSON.objectNode();
          ArrayNode targets = body.putArray("targets");
          acc.targets.forEach(
              (type, fields) -> {
                ObjectNode t = targets.addObject().put("type", type);
                if (!fields.isEmpty()) {
                  t.set("metadata", jsonSchema(fields));
                }
              });
          if (!acc.actor.isEmpty()) {
            body.putObject("actor").set("metadata", jsonSchema(acc.actor));
          }
          if (!acc.metadata.isEmpty()) {
            body.set("metadata", jsonSchema(acc.metadata));
          }
          schemas.put(action, body);
        });
    return new ActionSchemas(schemas, notes);
  }

  private static List<String> actions(JsonNode action, JsonNode tables) {
    if (isLiteralString(action)) {
      return List.of(literalString(action));
    }
    JsonNode table = action.isObject() ? table(action, tables) : JSON.missingNode();
    if (action.isObject() && action.has("lookup") && table.isObject()) {
      Set<String> values = new LinkedHashSet<>();
      table.forEach(v -> values.add(v.asText()));
      if (action.path("default").isTextual()) {
        values.add(action.path("default").textValue());
      }
      return List.copyOf(values);
    }
    return List.of();
  }

  private static boolean isLiteralString(JsonNode value) {
    return (value.isTextual() && !value.textValue().replace("{{", "").contains("{"))
        || (value.isObject() && value.size() == 1 && value.path("literal").isTextual());
  }

  private static String literalString(JsonNode value) {
    return value.isTextual()
        ? value.textValue().replace("{{", "{").replace("}}", "}")
        : value.path("literal").textValue();
  }

  /** A lookup's table: inline, or named among the document's {@code tables}. */
  private static JsonNode table(JsonNode spec, JsonNode tables) {
    JsonNode table = spec.path("table");
    return table.isTextual() ? tables.path(table.textValue()) : table;
  }

  /** The group's defaults over the document's, key by key for actor, context and metadata. */
  private static JsonNode mergedDefaults(JsonNode document, JsonNode group) {
    ObjectNode merged = JSON.objectNode();
    if (document.isObject()) {
      merged.setAll((ObjectNode) document);
    }
    if (group.isObject()) {
      group
          .fields()
          .forEachRemaining(
              e ->
                  merged.set(
                      e.getKey(),
                      e.getValue().isObject()
                              && merged.path(e.getKey()).isObject()
                              && List.of("actor", "context", "metadata").contains(e.getKey())
                          ? mergedActorLike(merged.path(e.getKey()), e.getValue())
                          : e.getValue()));
    }
    return merged;
  }

  private static JsonNode mergedActorLike(JsonNode base, JsonNode over) {
    ObjectNode merged = ((ObjectNode) base).deepCopy();
    over.fields()
        .forEachRemaining(
            e ->
                merged.set(
                    e.getKey(),
                    e.getKey().equals("metadata") && merged.path("metadata").isObject()
                        ? mergedObject(merged.path("metadata"), e.getValue())
                        : e.getValue()));
    return merged;
  }

  private static JsonNode mergedObject(JsonNode defaults, JsonNode own) {
    ObjectNode merged = JSON.objectNode();
    if (defaults.isObject()) {
      merged.setAll((ObjectNode) defaults);
    }
    if (own.isObject()) {
      merged.setAll((ObjectNode) own);
    }
    return merged;
  }

  private static Map<String, Field> fields(JsonNode metadata, JsonNode tables) {
    Map<String, Field> fields = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode spec = e.getValue();
      boolean optional = spec.isObject() && spec.path("optional").asBoolean(false);
      fields.put(e.getKey(), new Field(types(spec, tables), !optional));
    }
    return fields;
  }

  /** The types a value specification can produce. */
  static Set<Type> types(JsonNode spec) {
    return types(spec, JSON.missingNode());
  }

  /** The same, with the document's named lookup {@code tables}. */
  static Set<Type> types(JsonNode spec, JsonNode tables) {
    if (spec.isTextual()) {
      return EnumSet.of(Type.STRING);
    }
    if (spec.isNumber()) {
      return EnumSet.of(Type.NUMBER);
    }
    if (spec.isBoolean()) {
      return EnumSet.of(Type.BOOLEAN);
    }
    if (!spec.isObject()) {
      return EnumSet.allOf(Type.class);
    }
    if (spec.has("fn") || spec.has("timestamp") || spec.has("join")) {
      return EnumSet.of(Type.STRING);
    }
    Set<Type> types = EnumSet.noneOf(Type.class);
    if (spec.has("literal")) {
      types.addAll(types(spec.get("literal"), tables));
    } else if (spec.has("lookup")) {
      table(spec, tables).forEach(v -> types.addAll(types(v, tables)));
    } else if (spec.has("coalesce")) {
      spec.get("coalesce").forEach(v -> types.addAll(types(v, tables)));
    } else if (spec.has("header") || spec.has("external_id")) {
      types.add(Type.STRING);
    } else if (spec.has("record")) {
      types.add(spec.path("record").asText().equals("topic") ? Type.STRING : Type.NUMBER);
    } else {
      types.addAll(EnumSet.allOf(Type.class));
    }
    if (spec.has("default")) {
      types.addAll(types(spec.get("default"), tables));
    }
    return types.isEmpty() ? EnumSet.allOf(Type.class) : types;
  }

  private static Map<String, Field> merge(Map<String, Field> a, Map<String, Field> b) {
    Map<String, Field> merged = new LinkedHashMap<>(a);
    merged.replaceAll((k, f) -> b.containsKey(k) ? f.merge(b.get(k)) : new Field(f.types, false));
    b.forEach((k, f) -> merged.putIfAbsent(k, new Field(f.types, false)));
    return merged;
  }

  private static ObjectNode jsonSchema(Map<String, Field> fields) {
    ObjectNode schema = JSON.objectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    List<String> required = new ArrayList<>();
    fields.forEach(
        (key, field) -> {
          ObjectNode property = properties.putObject(key);
          if (field.types.size() == 1) {
            property.put("type", field.types.iterator().next().jsonName());
          } else {
            ArrayNode types = property.putArray("type");
            field.types.forEach(t -> types.add(t.jsonName()));
          }
          if (field.required) {
            required.add(key);
          }
        });
    if (!required.isEmpty()) {
      ArrayNode r = schema.putArray("required");
      required.forEach(r::add);
    }
    return schema;
  }
}
