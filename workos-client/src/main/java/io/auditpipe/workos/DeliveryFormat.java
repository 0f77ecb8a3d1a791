package io.auditpipe.workos;

/** Which WorkOS API events are delivered to. */
public enum DeliveryFormat {
  /** {@code POST /audit_logs/events}: the current Audit Logs API (default). */
  AUDIT_LOGS,
  /**
   * {@code POST /events}: the legacy Audit Trail API with its flat body; see {@link
   * io.auditpipe.workos.trail.AuditTrailEncoder} for how an event is flattened.
   */
  AUDIT_TRAIL
}
