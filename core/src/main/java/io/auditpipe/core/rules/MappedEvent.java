package io.auditpipe.core.rules;

import io.auditpipe.core.model.AuditEvent;
import java.util.Objects;

/**
 * A validated event and the {@code Idempotency-Key} to send it with. The key is deterministic:
 * mapping the same record again, in the connector or the processor, yields the same key.
 */
public record MappedEvent(AuditEvent event, String idempotencyKey, String rule) {

  public MappedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(rule, "rule");
  }
}
