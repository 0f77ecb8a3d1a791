package io.auditpipe.workos.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A schema version of an action ({@code "object":"audit_log_schema"}).
 *
 * @param version the schema version, 1, 2, …
 * @param json the whole object as WorkOS returned it (actor, targets, metadata, created_at)
 */
public record AuditLogSchema(int version, JsonNode json) {}
