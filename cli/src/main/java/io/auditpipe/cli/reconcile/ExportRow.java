package io.auditpipe.cli.reconcile;

import com.fasterxml.jackson.databind.JsonNode;

/** One row of a WorkOS export CSV, as far as reconciling needs it. */
public record ExportRow(
    String id,
    String occurredAt,
    String action,
    String actorId,
    String actorType,
    String actorName,
    JsonNode targets,
    JsonNode metadata) {}
