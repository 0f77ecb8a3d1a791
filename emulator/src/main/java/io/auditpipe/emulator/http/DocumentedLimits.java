package io.auditpipe.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.model.Violation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The emulator's own table of WorkOS's documented limits on a create-event body (from the API
 * reference, {@code workos-audit-logs-api.md}), checked on the JSON as received. Deliberately not
 * the client's validator: a test double that shares the client's assumptions cannot catch them
 * being wrong.
 */
final class DocumentedLimits {

  /** At most this many keys in one metadata object (event, actor, each target). */
  static final int METADATA_KEYS = 50;

  /** Metadata keys: letters, digits, {@code _} and {@code -}, at most 40 of them. */
  static final Pattern METADATA_KEY = Pattern.compile("^[a-zA-Z0-9_-]{0,40}$");

  /** Longest metadata string value, in characters. */
  static final int METADATA_STRING = 500;

  private DocumentedLimits() {}

  /** Every limit the body breaks; the body has already been read as a well-formed event. */
  static List<Violation> check(JsonNode body) {
    List<Violation> out = new ArrayList<>();
    nonEmpty(out, body, "organization_id", "organization_id");
    JsonNode event = body.path("event");
    nonEmpty(out, event, "action", "event.action");
    JsonNode version = event.get("version");
    if (version != null && version.isIntegralNumber() && version.asLong() < 1) {
      // Schema versions are numbered from 1.
      out.add(new Violation("event.version", "invalid_value", "must be 1 or more"));
    }
    JsonNode actor = event.path("actor");
    nonEmpty(out, actor, "id", "event.actor.id");
    nonEmpty(out, actor, "type", "event.actor.type");
    metadata(out, actor.get("metadata"), "event.actor.metadata");
    JsonNode targets = event.path("targets");
    for (int i = 0; i < targets.size(); i++) {
      String at = "event.targets[" + i + "]";
      nonEmpty(out, targets.get(i), "id", at + ".id");
      nonEmpty(out, targets.get(i), "type", at + ".type");
      metadata(out, targets.get(i).get("metadata"), at + ".metadata");
    }
    nonEmpty(out, event.path("context"), "location", "event.context.location");
    metadata(out, event.get("metadata"), "event.metadata");
    return out;
  }

  private static void nonEmpty(List<Violation> out, JsonNode parent, String name, String at) {
    JsonNode n = parent.get(name);
    if (n != null && n.isTextual() && n.textValue().isBlank()) {
      out.add(new Violation(at, "required", "must not be empty"));
    }
  }

  private static void metadata(List<Violation> out, JsonNode metadata, String at) {
    if (metadata == null || !metadata.isObject()) {
      return;
    }
    if (metadata.size() > METADATA_KEYS) {
      out.add(new Violation(at, "too_many_keys", "must have at most " + METADATA_KEYS + " keys"));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!METADATA_KEY.matcher(e.getKey()).matches()) {
        out.add(
            new Violation(
                at + "." + e.getKey(), "invalid_key", "keys must match " + METADATA_KEY.pattern()));
      }
      JsonNode v = e.getValue();
      if (v.isTextual() && v.textValue().length() > METADATA_STRING) {
        out.add(
            new Violation(
                at + "." + e.getKey(),
                "too_long",
                "must be at most " + METADATA_STRING + " characters"));
      } else if (v.isObject() || v.isArray()) {
        out.add(
            new Violation(
                at + "." + e.getKey(), "invalid_type", "must be a string, number or boolean"));
      }
    }
  }
}
