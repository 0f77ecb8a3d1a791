package io.auditpipe.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.model.AuditEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One accepted {@code POST /audit_logs/events}.
 *
 * @param id the emulator's id for the event
 * @param event the parsed event
 * @param json the {@code event} object exactly as received
 * @param receivedAt when the emulator accepted it
 * @param idempotencyKey the request's {@code Idempotency-Key}, if any
 */
public record StoredEvent(
    String id,
    AuditEvent event,
    JsonNode json,
    Instant receivedAt,
    Optional<String> idempotencyKey) {

  public StoredEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
  }

  public String organizationId() {
    return event.organizationId();
  }
}
