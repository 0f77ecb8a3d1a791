package io.auditpipe.workos.trail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * Flattens an {@link AuditEvent} into the legacy Audit Trail body of {@code POST /events}:
 *
 * <ul>
 *   <li>{@code group} ← the organization id (the Audit Trail grouped events per customer);
 *   <li>{@code action_type} ← the event metadata key {@value #ACTION_TYPE_KEY} when it holds {@code
 *       C|R|U|D}, else {@link ActionType#derive(String) derived} from the action's verb (the key
 *       itself is never sent as metadata);
 *   <li>{@code actor_name}/{@code actor_id} ← the actor's name (its id when unnamed) and id;
 *   <li>{@code target_name}/{@code target_id} ← the first target's name (or id) and id; an event
 *       without targets names its organization;
 *   <li>{@code location}, {@code action}, {@code occurred_at} (ISO-8601 UTC, milliseconds) as is;
 *   <li>{@code metadata} ← the event metadata with every value as a string; actor and target
 *       metadata and further targets have no place in the flat format and are not sent.
 * </ul>
 */
public final class AuditTrailEncoder {

  /** Event metadata key that sets {@code action_type} explicitly. */
  public static final String ACTION_TYPE_KEY = "action_type";

  private static final JsonFactory FACTORY = new JsonFactory();

  private AuditTrailEncoder() {}

  /** The {@code POST /events} body as UTF-8 JSON. */
  public static byte[] toRequestBody(AuditEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(384);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("group", event.organizationId());
      g.writeStringField("location", event.context().location());
      g.writeStringField("action", event.action());
      g.writeStringField("action_type", actionType(event).name());
      g.writeStringField("actor_name", event.actor().name().orElse(event.actor().id()));
      g.writeStringField("actor_id", event.actor().id());
      Optional<Target> target = event.targets().stream().findFirst();
      g.writeStringField(
          "target_name", target.map(t -> t.name().orElse(t.id())).orElse(event.organizationId()));
      g.writeStringField("target_id", target.map(Target::id).orElse(event.organizationId()));
      g.writeStringField("occurred_at", AuditEventJson.OCCURRED_AT.format(event.occurredAt()));
      boolean open = false;
      for (Map.Entry<String, MetadataValue> e : event.metadata().values().entrySet()) {
        if (e.getKey().equals(ACTION_TYPE_KEY)) {
          continue;
        }
        if (!open) {
          g.writeObjectFieldStart("metadata");
          open = true;
        }
        g.writeStringField(e.getKey(), String.valueOf(e.getValue().raw()));
      }
      if (open) {
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The action type sent for {@code event}. */
  public static ActionType actionType(AuditEvent event) {
    MetadataValue explicit = event.metadata().values().get(ACTION_TYPE_KEY);
    if (explicit instanceof MetadataValue.StringValue s) {
      Optional<ActionType> t = ActionType.parse(s.value());
      if (t.isPresent()) {
        return t.get();
      }
    }
    return ActionType.derive(event.action());
  }
}
