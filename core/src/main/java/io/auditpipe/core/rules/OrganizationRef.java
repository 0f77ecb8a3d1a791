package io.auditpipe.core.rules;

import java.util.Objects;

/**
 * The organization a mapped event is for: a WorkOS organization id, or a tenant's external id still
 * to be resolved by whoever delivers the event (the lookup is I/O, which rules never do).
 */
public sealed interface OrganizationRef permits OrganizationRef.Id, OrganizationRef.ExternalId {

  /** A WorkOS organization id ({@code org_…}), ready to send. */
  record Id(String organizationId) implements OrganizationRef {
    public Id {
      Objects.requireNonNull(organizationId, "organizationId");
    }
  }

  /**
   * A tenant's external id ({@code GET /organizations/external_id/{id}}), not blank; the event's
   * {@code organizationId} holds it until it is resolved.
   */
  record ExternalId(String externalId) implements OrganizationRef {
    public ExternalId {
      Objects.requireNonNull(externalId, "externalId");
      if (externalId.isEmpty()) {
        throw new IllegalArgumentException("externalId: expected at least one character");
      }
    }
  }
}
