/**
 * Delivery to WorkOS. {@link io.auditpipe.workos.AuditLogClient} sends one event per request,
 * asynchronously, retried with the same idempotency key and paced to this client's share of the API
 * key's rate budget; it answers with a sealed {@link io.auditpipe.workos.DeliveryOutcome}. Built
 * from a validated {@link io.auditpipe.workos.WorkOsClientConfig}; observed through a {@link
 * io.auditpipe.workos.DeliveryListener}. The management calls tools need (schemas, exports,
 * retention, organizations) are in {@link io.auditpipe.workos.api}.
 */
package io.auditpipe.workos;
