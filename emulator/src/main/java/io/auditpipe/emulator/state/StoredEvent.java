package io.auditpipe.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.core.model.AuditEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One accepted {@code POST /audit_logs/events}.
 *
 * @param id the emulator's id for the event
 * @param event the parsed event
 * @param requestBody the request body exactly as received (kept as bytes: a JSON tree per stored
 *     event would cost several times the memory)
 * @param receivedAt when the emulator accepted it
 * @param idempotencyKey the request's {@code Idempotency-Key}, if any
 */
// Kept as received and listed; never compared or hashed.
@SuppressWarnings("ArrayRecordComponent")
public record StoredEvent(
    String id,
    AuditEvent event,
    byte[] requestBody,
    Instant receivedAt,
    Optional<String> idempotencyKey) {

  public StoredEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(requestBody, "requestBody");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The {@code event} object exactly as received. */
  public JsonNode json() {
    try {
      return MAPPER.readTree(requestBody).get("event");
    } catch (IOException e) {
      throw new UncheckedIOException("a stored request body is not JSON", e);
    }
  }

  public String organizationId() {
    return event.organizationId();
  }
}
