package io.auditpipe.workos.api;

import java.util.concurrent.CompletableFuture;

/**
 * Finds a WorkOS organization by its {@code external_id} ({@code GET
 * /organizations/external_id/{id}}) without blocking the caller. Thread-safe.
 */
public interface OrganizationLookup extends AutoCloseable {

  /**
   * Looks the organization up; the future never completes exceptionally.
   *
   * @param externalId a non-empty external id
   */
  CompletableFuture<LookupOutcome> byExternalId(String externalId);

  /** Stops lookups; those in progress complete {@link LookupOutcome.Unavailable}. */
  @Override
  void close();
}
