package io.auditpipe.core.avro;

import io.auditpipe.core.rules.MappedEvent;
import java.util.Objects;

/**
 * One record of the {@code audit-events} topic: a mapped event (with its idempotency key and rule)
 * and the coordinates of the domain record it came from.
 */
public record AuditEventRecord(MappedEvent mapped, RecordCoordinates source) {

  public AuditEventRecord {
    Objects.requireNonNull(mapped, "mapped");
    Objects.requireNonNull(source, "source");
  }
}
