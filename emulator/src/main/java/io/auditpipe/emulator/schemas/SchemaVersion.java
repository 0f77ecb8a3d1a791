package io.auditpipe.emulator.schemas;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable schema version of an action.
 *
 * @param action the action's name
 * @param version 1, 2, …
 * @param body the schema as created: {@code targets}, optional {@code actor} and {@code metadata}
 * @param targetTypes the target types every event must carry, in order
 * @param targetMetadata compiled metadata schema by target type
 * @param actorMetadata compiled actor metadata schema
 * @param metadata compiled event metadata schema
 */
public record SchemaVersion(
    String action,
    int version,
    ObjectNode body,
    Instant createdAt,
    List<String> targetTypes,
    Map<String, JsonSchema> targetMetadata,
    Optional<JsonSchema> actorMetadata,
    Optional<JsonSchema> metadata) {}
