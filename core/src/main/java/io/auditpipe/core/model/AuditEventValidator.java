package io.auditpipe.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks an {@link AuditEvent} against every constraint WorkOS enforces before it is sent, and
 * reports all violations, each with its location in the request body. Stateless and thread-safe.
 */
public final class AuditEventValidator {

  private static final AuditEventValidator INSTANCE = new AuditEventValidator();

  public static AuditEventValidator instance() {
    return INSTANCE;
  }

  /** Returns every violation; an empty list means WorkOS's documented limits hold. */
  public List<Violation> validate(AuditEvent event) {
    List<Violation> out = new ArrayList<>();
    required(out, "organization_id", event.organizationId());
    required(out, "event.action", event.action());
    event
        .version()
        .ifPresent(
            v -> {
              if (v < 1) {
                out.add(
                    new Violation(
                        "event.version",
                        "invalid_value",
                        "expected a schema version of 1 or more, found " + v));
              }
            });
    required(out, "event.actor.id", event.actor().id());
    required(out, "event.actor.type", event.actor().type());
    metadata(out, "event.actor.metadata", event.actor().metadata());
    for (int i = 0; i < event.targets().size(); i++) {
      Target t = event.targets().get(i);
      String at = "event.targets[" + i + "]";
      required(out, at + ".id", t.id());
      required(out, at + ".type", t.type());
      metadata(out, at + ".metadata", t.metadata());
    }
    required(out, "event.context.location", event.context().location());
    metadata(out, "event.metadata", event.metadata());
    return out;
  }

  /** Checks one metadata object; {@code at} is its location, e.g. {@code event.metadata}. */
  public void metadata(List<Violation> out, String at, Metadata metadata) {
    if (metadata.size() > WorkOsLimits.MAX_METADATA_KEYS) {
      out.add(
          new Violation(
              at,
              "too_many_keys",
              "expected at most "
                  + WorkOsLimits.MAX_METADATA_KEYS
                  + " keys, found "
                  + metadata.size()));
    }
    for (Map.Entry<String, MetadataValue> e : metadata.values().entrySet()) {
      String key = e.getKey();
      if (!WorkOsLimits.METADATA_KEY.matcher(key).matches()) {
        out.add(
            new Violation(
                at + "." + key,
                "invalid_key",
                "expected a key of at most 40 letters, digits, '_' or '-', found "
                    + key.length()
                    + " characters"
                    + (key.length() <= 40 ? " with other characters" : "")));
      }
      MetadataValue value = e.getValue();
      if (value instanceof MetadataValue.StringValue s
          && s.value().length() > WorkOsLimits.MAX_METADATA_STRING_LENGTH) {
        out.add(
            new Violation(
                at + "." + key,
                "too_long",
                "expected a string of at most "
                    + WorkOsLimits.MAX_METADATA_STRING_LENGTH
                    + " characters, found "
                    + s.value().length()));
      } else if (value instanceof MetadataValue.DoubleValue d && !Double.isFinite(d.value())) {
        out.add(
            new Violation(
                at + "." + key, "invalid_value", "expected a finite number, found " + d.value()));
      }
    }
  }

  private static void required(List<Violation> out, String field, String value) {
    if (value.isBlank()) {
      out.add(new Violation(field, "required", "expected a non-empty string, found an empty one"));
    }
  }
}
