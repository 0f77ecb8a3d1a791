package io.auditpipe.core.rules;

import io.auditpipe.core.model.AuditEvent;
import java.util.Objects;

/**
 * A validated event and the {@code Idempotency-Key} to send it with. The key is deterministic:
 * mapping the same record again, in the connector or the processor, yields the same key.
 *
 * <p>{@code organization} is {@link OrganizationRef.Id} unless the rules were compiled with {@link
 * OrganizationResolver#atDelivery()} and the organization is a tenant's external id: then the
 * event's {@link AuditEvent#organizationId()} holds the external id until {@link
 * #withOrganizationId} replaces it. The idempotency key does not depend on the organization, so it
 * is the same before and after.
 */
public record MappedEvent(
    AuditEvent event, String idempotencyKey, String rule, OrganizationRef organization) {

  public MappedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(organization, "organization");
  }

  /** An event whose organization is the event's own {@code organizationId}. */
  public MappedEvent(AuditEvent event, String idempotencyKey, String rule) {
    this(event, idempotencyKey, rule, new OrganizationRef.Id(event.organizationId()));
  }

  /** Whether the organization is still an external id to resolve before sending. */
  public boolean needsOrganizationLookup() {
    return organization instanceof OrganizationRef.ExternalId;
  }

  /** This event for the resolved organization {@code organizationId}, same key and rule. */
  public MappedEvent withOrganizationId(String organizationId) {
    AuditEvent e = event;
    return new MappedEvent(
        new AuditEvent(
            organizationId,
            e.action(),
            e.occurredAt(),
            e.version(),
            e.actor(),
            e.targets(),
            e.context(),
            e.metadata()),
        idempotencyKey,
        rule,
        new OrganizationRef.Id(organizationId));
  }
}
