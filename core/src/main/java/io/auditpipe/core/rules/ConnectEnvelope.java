package io.auditpipe.core.rules;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Connect JSON envelope {@code {"schema": …, "payload": …}} that Kafka Connect's {@code
 * JsonConverter} writes with {@code schemas.enable=true}: exactly those two fields, the schema an
 * object or null. Its payload is the record as its producer meant it. An object that merely has a
 * {@code payload} field (or more fields than the two) is a domain event of its own and stays as it
 * is.
 */
public final class ConnectEnvelope {

  private ConnectEnvelope() {}

  /**
   * The payload of {@code node} when it is an envelope (which may be a JSON {@code null}),
   * otherwise {@code node} itself.
   */
  public static JsonNode unwrap(JsonNode node) {
    if (node.isObject()
        && node.size() == 2
        && node.has("payload")
        && node.has("schema")
        && (node.get("schema").isObject() || node.get("schema").isNull())) {
      return node.get("payload");
    }
    return node;
  }
}
