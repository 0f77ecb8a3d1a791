package io.auditpipe.cli.reconcile;

import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.rules.MappedEvent;

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
}
