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
}
