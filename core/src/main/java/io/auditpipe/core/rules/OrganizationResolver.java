package io.auditpipe.core.rules;

import java.util.Optional;

/**
 * Resolves a tenant's external id to a WorkOS organization id ({@code GET
 * /organizations/external_id/{id}}). Implementations cache; rules never do I/O themselves. Must be
 * thread-safe.
 */
@FunctionalInterface
public interface OrganizationResolver {

  /** The organization id, or empty when WorkOS knows no organization with that external id. */
  Optional<String> resolveExternalId(String externalId);

  /** A resolver for documents that do not use external-id lookups. */
  static OrganizationResolver none() {
    return externalId -> Optional.empty();
  }

  /**
   * Resolves nothing while mapping: an {@code organization_id} of the form {@code {"external_id":
   * v}} maps to an event whose {@link MappedEvent#organization()} is {@link
   * OrganizationRef.ExternalId}, for the deliverer to resolve (the connector does it off its task
   * thread). With it, {@code external_id} is accepted only as the whole {@code organization_id}
   * value.
   */
  static OrganizationResolver atDelivery() {
    return AtDelivery.INSTANCE;
  }

  /** The marker {@link #atDelivery()} returns. */
  enum AtDelivery implements OrganizationResolver {
    INSTANCE;

    @Override
    public Optional<String> resolveExternalId(String externalId) {
      throw new UnsupportedOperationException("external ids are resolved at delivery");
    }
  }
}
