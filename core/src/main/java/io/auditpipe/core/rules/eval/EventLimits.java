package io.auditpipe.core.rules.eval;

import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventValidator;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import io.auditpipe.core.model.Violation;
import io.auditpipe.core.model.WorkOsLimits;
import java.util.List;

/**
 * WorkOS limits of a mapped event. The common case, a valid event, is confirmed by a check that
 * allocates nothing and skips what the compiler already proved (metadata keys are constants of the
 * rules document, checked against {@link WorkOsLimits#METADATA_KEY} at compile time); anything that
 * might break a limit goes to {@link AuditEventValidator}, whose violations are reported.
 */
final class EventLimits {

  private EventLimits() {}

  /** Every violation of {@code event}, as {@link AuditEventValidator} reports them. */
  static List<Violation> violations(AuditEvent event) {
    return certainlyValid(event) ? List.of() : AuditEventValidator.instance().validate(event);
  }

  /**
   * True only if the validator would find nothing, for events whose metadata keys were checked at
   * compile time.
   */
  static boolean certainlyValid(AuditEvent e) {
    if (e.organizationId().isBlank()
        || e.action().isBlank()
        || e.actor().id().isBlank()
        || e.actor().type().isBlank()
        || e.context().location().isBlank()
        || (e.version().isPresent() && e.version().getAsInt() < 1)
        || !metadataWithinLimits(e.actor().metadata())
        || !metadataWithinLimits(e.metadata())) {
      return false;
    }
    for (Target t : e.targets()) {
      if (t.id().isBlank() || t.type().isBlank() || !metadataWithinLimits(t.metadata())) {
        return false;
      }
    }
    return true;
  }

  private static boolean metadataWithinLimits(Metadata metadata) {
    if (metadata.isEmpty()) {
      return true;
    }
    if (metadata.size() > WorkOsLimits.MAX_METADATA_KEYS) {
      return false;
    }
    for (MetadataValue v : metadata.values().values()) {
      if (v instanceof MetadataValue.StringValue s
          && s.value().length() > WorkOsLimits.MAX_METADATA_STRING_LENGTH) {
        return false;
      }
      if (v instanceof MetadataValue.DoubleValue d && !Double.isFinite(d.value())) {
        return false;
      }
    }
    return true;
  }
}
