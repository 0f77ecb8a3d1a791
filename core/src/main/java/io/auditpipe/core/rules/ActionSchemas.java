package io.auditpipe.core.rules;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The WorkOS schema each action implies ({@code POST /audit_logs/actions/{action}/schemas}): which
 * target types the action's events carry, and the event, actor and target metadata keys with their
 * JSON types, derived from {@link RuleSummary rule summaries}, so from the document alone.
 *
 * <p>An action must be a text the document fixes (a literal, a lookup table's values), a target
 * type too. A key is required when every rule producing the action always sets it; a target type is
 * listed when every such rule has it. Anything that cannot be derived is a note naming the rule,
 * not a guess.
 *
 * @param schemas the schema of each action, in document order
 * @param notes what could not be derived, each naming the rule or action
 */
public record ActionSchemas(Map<String, ActionSchema> schemas, List<String> notes) {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /**
   * A metadata key's possible types and whether every event has it.
   *
   * @param types the JSON types, never empty
   * @param required whether every event of the action carries it
   */
  public record Field(Set<ValueShape.Type> types, boolean required) {
    public Field {
      types = Set.copyOf(types);
    }

    Field merge(Field other) {
      Set<ValueShape.Type> union = EnumSet.copyOf(types);
      union.addAll(other.types);
      return new Field(union, required && other.required);
    }
  }

  /**
   * One action's schema.
   *
   * @param targets each target type with its metadata keys, in document order; never empty
   * @param actorMetadata the actor's metadata keys
   * @param metadata the event's metadata keys
   */
  public record ActionSchema(
      Map<String, Map<String, Field>> targets,
      Map<String, Field> actorMetadata,
      Map<String, Field> metadata) {

    public ActionSchema {
      Map<String, Map<String, Field>> copy = new LinkedHashMap<>();
      targets.forEach((type, fields) -> copy.put(type, ordered(fields)));
      targets = Collections.unmodifiableMap(copy);
      actorMetadata = ordered(actorMetadata);
      metadata = ordered(metadata);
    }

    /** The request body of {@code POST /audit_logs/actions/{action}/schemas}. */
    public ObjectNode requestBody() {
      ObjectNode body = JSON.objectNode();
      ArrayNode ts = body.putArray("targets");
      targets.forEach(
          (type, fields) -> {
            ObjectNode t = ts.addObject().put("type", type);
            if (!fields.isEmpty()) {
              t.set("metadata", jsonSchema(fields));
            }
          });
      if (!actorMetadata.isEmpty()) {
        body.putObject("actor").set("metadata", jsonSchema(actorMetadata));
      }
      if (!metadata.isEmpty()) {
        body.set("metadata", jsonSchema(metadata));
      }
      return body;
    }
  }

  public ActionSchemas {
    schemas = Collections.unmodifiableMap(new LinkedHashMap<>(schemas));
    notes = List.copyOf(notes);
  }

  /** What the rules of {@code rules}, in document order, imply for each action. */
  public static ActionSchemas derive(List<RuleSummary> rules) {
    List<String> notes = new ArrayList<>();
    Map<String, Accumulated> byAction = new LinkedHashMap<>();
    for (RuleSummary rule : rules) {
      if (rule.action().texts().isEmpty()) {
        notes.add(
            rule.location()
                + " action: computed from the record (path, template or expression); its"
                + " schema cannot be derived from the rules");
        continue;
      }
      Map<String, Map<String, Field>> targets = new LinkedHashMap<>();
      for (RuleSummary.TargetSummary target : rule.targets()) {
        // One fixed type only: a type chosen per record (even among known ones) is not always
        // there.
        if (target.type().texts().map(List::size).orElse(0) != 1) {
          notes.add(
              rule.location() + " targets: a target type computed from the record is left out");
          continue;
        }
        targets.merge(
            target.type().texts().get().get(0), fields(target.metadata()), ActionSchemas::merge);
      }
      Map<String, Field> actor = fields(rule.actorMetadata());
      Map<String, Field> metadata = fields(rule.metadata());
      for (String action : rule.action().texts().get()) {
        byAction.computeIfAbsent(action, a -> new Accumulated()).add(targets, actor, metadata);
      }
    }
    Map<String, ActionSchema> schemas = new LinkedHashMap<>();
    byAction.forEach(
        (action, acc) -> {
          if (acc.targets.isEmpty()) {
            notes.add(
                "action "
                    + action
                    + ": no target type common to all its rules; WorkOS requires at least one,"
                    + " so it is left out");
          } else {
            schemas.put(action, new ActionSchema(acc.targets, acc.actor, acc.metadata));
          }
        });
    return new ActionSchemas(schemas, notes);
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
        // A target type is only listed when every rule producing the action has it.
        targets.keySet().retainAll(ruleTargets.keySet());
        targets.replaceAll((type, fields) -> merge(fields, ruleTargets.get(type)));
        actor = merge(actor, a);
        metadata = merge(metadata, m);
      }
      rules++;
    }
  }

  private static Map<String, Field> fields(Map<String, ValueShape> metadata) {
    Map<String, Field> fields = new LinkedHashMap<>();
    metadata.forEach((key, shape) -> fields.put(key, new Field(shape.types(), !shape.optional())));
    return fields;
  }

  /** Keys of both; a key only one side has is not required. */
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
          List<ValueShape.Type> types = List.copyOf(EnumSet.copyOf(field.types()));
          if (types.size() == 1) {
            property.put("type", types.get(0).jsonName());
          } else {
            ArrayNode array = property.putArray("type");
            types.forEach(t -> array.add(t.jsonName()));
          }
          if (field.required()) {
            required.add(key);
          }
        });
    if (!required.isEmpty()) {
      ArrayNode r = schema.putArray("required");
      required.forEach(r::add);
    }
    return schema;
  }

  private static <V> Map<String, V> ordered(Map<String, V> map) {
    Objects.requireNonNull(map, "map");
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
