package io.auditpipe.cli.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.rules.MappedEvent;
import java.time.Instant;

/** An event the rules make of a source record in range, with where it came from. */
public record ExpectedEvent(
    String topic,
    int partition,
    long offset,
    String rule,
    String idempotencyKey,
    String organizationId,
    String action,
    String occurredAt,
    EventFingerprint fingerprint) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static ExpectedEvent of(String topic, int partition, long offset, MappedEvent mapped) {
    AuditEvent e = mapped.event();
    return new ExpectedEvent(
        topic,
        partition,
        offset,
        mapped.rule(),
        mapped.idempotencyKey(),
        e.organizationId(),
        e.action(),
        AuditEventJson.OCCURRED_AT.format(e.occurredAt()),
        EventFingerprint.of(e));
  }

  public Instant occurredAtInstant() {
    return Instant.parse(occurredAt);
  }

  /** This event as one line of JSON, as it is spilled to disk. */
  String toJsonLine() {
    try {
      return MAPPER.writeValueAsString(
          MAPPER
              .createObjectNode()
              .put("topic", topic)
              .put("partition", partition)
              .put("offset", offset)
              .put("rule", rule)
              .put("idempotency_key", idempotencyKey)
              .put("organization_id", organizationId)
              .put("action", action)
              .put("occurred_at", occurredAt)
              .put("fingerprint", fingerprint.canonical()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  /** The event {@link #toJsonLine} wrote. */
  static ExpectedEvent fromJsonLine(String line) {
    try {
      JsonNode n = MAPPER.readTree(line);
      return new ExpectedEvent(
          n.path("topic").asText(),
          n.path("partition").asInt(),
          n.path("offset").asLong(),
          n.path("rule").asText(),
          n.path("idempotency_key").asText(),
          n.path("organization_id").asText(),
          n.path("action").asText(),
          n.path("occurred_at").asText(),
          new EventFingerprint(n.path("fingerprint").asText()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a spilled expected event is not the JSON written", e);
    }
  }
}
