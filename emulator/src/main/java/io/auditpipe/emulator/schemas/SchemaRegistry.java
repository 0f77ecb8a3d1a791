package io.auditpipe.emulator.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.auditpipe.core.model.Violation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Actions and their schema versions. Thread-safe; versions are immutable once created. */
public final class SchemaRegistry {

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

  private final Clock clock;
  private final Map<String, List<SchemaVersion>> byAction = new ConcurrentHashMap<>();
  private final Map<String, Long> creationOrder = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  public SchemaRegistry(Clock clock) {
    this.clock = clock;
  }

  /** Thrown for a schema body that is not of WorkOS's shape. */
  public static final class InvalidSchemaException extends RuntimeException {
    private final transient List<Violation> violations;

    InvalidSchemaException(List<Violation> violations) {
      super(violations.toString(), null, false, false);
      this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
      return violations;
    }
  }

  /**
   * Creates the next version of the action's schema (creating the action if needed).
   *
   * @throws InvalidSchemaException when {@code targets} is missing or empty, a target lacks a type,
   *     or a metadata schema is not an object
   */
  public SchemaVersion create(String action, JsonNode body) {
    List<Violation> v = new ArrayList<>();
    if (body == null || !body.isObject()) {
      v.add(new Violation("", "invalid_type", "expected a JSON object"));
      throw new InvalidSchemaException(v);
    }
    JsonNode targets = body.get("targets");
    List<String> types = new ArrayList<>();
    Map<String, JsonSchema> targetMetadata = new LinkedHashMap<>();
    if (targets == null || !targets.isArray() || targets.isEmpty()) {
      v.add(new Violation("targets", "required", "expected an array of at least one target"));
    } else {
      for (int i = 0; i < targets.size(); i++) {
        JsonNode t = targets.get(i);
        JsonNode type = t.get("type");
        if (type == null || !type.isTextual() || type.asText().isEmpty()) {
          v.add(new Violation("targets[" + i + "].type", "required", "expected a string"));
          continue;
        }
        types.add(type.asText());
        compile(t.get("metadata"), "targets[" + i + "].metadata", v)
            .ifPresent(s -> targetMetadata.put(type.asText(), s));
      }
    }
    JsonNode actor = body.get("actor");
    Optional<JsonSchema> actorMetadata =
        actor == null || actor.isNull()
            ? Optional.empty()
            : compile(actor.get("metadata"), "actor.metadata", v);
    Optional<JsonSchema> metadata = compile(body.get("metadata"), "metadata", v);
    if (!v.isEmpty()) {
      throw new InvalidSchemaException(v);
    }
    ObjectNode stored = ((ObjectNode) body).deepCopy();
    List<SchemaVersion> versions =
        byAction.computeIfAbsent(
            action,
            k -> {
              creationOrder.put(k, sequence.incrementAndGet());
              return Collections.synchronizedList(new ArrayList<>());
            });
    synchronized (versions) {
      SchemaVersion created =
          new SchemaVersion(
              action,
              versions.size() + 1,
              stored,
              clock.instant(),
              List.copyOf(types),
              Map.copyOf(targetMetadata),
              actorMetadata,
              metadata);
      versions.add(created);
      return created;
    }
  }

  private static Optional<JsonSchema> compile(JsonNode schema, String at, List<Violation> v) {
    if (schema == null || schema.isNull()) {
      return Optional.empty();
    }
    if (!schema.isObject()) {
      v.add(new Violation(at, "invalid_type", "expected a JSON Schema object"));
      return Optional.empty();
    }
    try {
      return Optional.of(FACTORY.getSchema(schema));
    } catch (RuntimeException e) {
      v.add(new Violation(at, "invalid_value", "expected a valid JSON Schema: " + e.getMessage()));
      return Optional.empty();
    }
  }

  public boolean hasSchemas(String action) {
    return byAction.containsKey(action);
  }

  /** The action's versions, oldest first. */
  public List<SchemaVersion> versions(String action) {
    List<SchemaVersion> versions = byAction.get(action);
    if (versions == null) {
      return List.of();
    }
    synchronized (versions) {
      return List.copyOf(versions);
    }
  }

  public Optional<SchemaVersion> version(String action, int version) {
    List<SchemaVersion> all = versions(action);
    return version >= 1 && version <= all.size()
        ? Optional.of(all.get(version - 1))
        : Optional.empty();
  }

  /** Action names in creation order of their first schema. */
  public List<String> actions() {
    List<String> names = new ArrayList<>(byAction.keySet());
    names.sort(Comparator.comparing(a -> creationOrder.getOrDefault(a, Long.MAX_VALUE)));
    return names;
  }

  public void clear() {
    byAction.clear();
    creationOrder.clear();
  }
}
