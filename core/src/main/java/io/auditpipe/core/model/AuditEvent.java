package io.auditpipe.core.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One WorkOS Audit Logs event: exactly what {@code POST /audit_logs/events} takes. Construction
 * only checks that nothing is null; WorkOS's limits are checked by {@link AuditEventValidator} so
 * that every violation can be reported at once, with its location.
 *
 * <p>{@code occurredAt} is truncated to milliseconds, the precision WorkOS keeps, so that an event
 * survives a round trip through JSON or Avro unchanged.
 */
public record AuditEvent(
    String organizationId,
    String action,
    Instant occurredAt,
    OptionalInt version,
    Actor actor,
    List<Target> targets,
    Context context,
    Metadata metadata) {

  public AuditEvent {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(action, "action");
    occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(actor, "actor");
    targets = List.copyOf(Objects.requireNonNull(targets, "targets"));
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(metadata, "metadata");
  }
}
