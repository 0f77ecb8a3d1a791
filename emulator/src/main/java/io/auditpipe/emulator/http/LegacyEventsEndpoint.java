package io.auditpipe.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.emulator.state.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * The legacy Audit Trail ({@code POST /events}, {@code GET /events}), superseded by Audit Logs in
 * 2023 but still spoken by old SDKs: a flat body, stored apart from Audit Logs events.
 */
final class LegacyEventsEndpoint {

  private static final List<String> REQUIRED =
      List.of(
          "group",
          "location",
          "action",
          "action_type",
          "actor_name",
          "actor_id",
          "target_name",
          "target_id",
          "occurred_at");
  private static final Set<String> ACTION_TYPES = Set.of("C", "R", "U", "D");

  private final Clock clock;
  private final Queue<ObjectNode> events = new ConcurrentLinkedQueue<>();

  LegacyEventsEndpoint(Clock clock) {
    this.clock = clock;
  }

  ApiResponse create(JsonNode body) {
    ObjectNode n = Json.object();
    ArrayNode errors = Json.MAPPER.createArrayNode();
    for (String f : REQUIRED) {
      JsonNode v = body.get(f);
      if (v == null || !v.isTextual()) {
        errors.addObject().put("field", f).put("code", f + " must be a string");
      }
    }
    JsonNode type = body.get("action_type");
    if (type != null && type.isTextual() && !ACTION_TYPES.contains(type.asText())) {
      errors
          .addObject()
          .put("field", "action_type")
          .put("code", "action_type must be C, R, U or D");
    }
    JsonNode occurred = body.get("occurred_at");
    if (occurred != null && occurred.isTextual()) {
      try {
        DateTimeFormatter.ISO_DATE_TIME.parse(occurred.asText(), Instant::from);
      } catch (DateTimeParseException e) {
        errors
            .addObject()
            .put("field", "occurred_at")
            .put("code", "occurred_at must be an ISO-8601 date-time");
      }
    }
    JsonNode metadata = body.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      if (!metadata.isObject()) {
        errors.addObject().put("field", "metadata").put("code", "metadata must be an object");
      } else {
        if (metadata.size() > DocumentedLimits.METADATA_KEYS) {
          errors
              .addObject()
              .put("field", "metadata")
              .put("code", "metadata must have at most 50 keys");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          boolean keyOk = DocumentedLimits.METADATA_KEY.matcher(e.getKey()).matches();
          boolean valueOk =
              e.getValue().isTextual()
                  && e.getValue().asText().length() <= DocumentedLimits.METADATA_STRING;
          if (!keyOk || !valueOk) {
            errors
                .addObject()
                .put("field", "metadata")
                .put(
                    "code",
                    "metadata keys must match ^[a-zA-Z0-9_-]{0,40}$ and values be strings of at"
                        + " most 500 characters");
            break;
          }
        }
      }
    }
    if (!errors.isEmpty()) {
      n.put("message", "Validation failed");
      n.set("errors", errors);
      return ApiResponse.json(422, n);
    }
    ObjectNode stored = Json.object();
    stored.put("object", "event");
    stored.put("id", Ids.next("evt_"));
    for (String f : REQUIRED) {
      stored.set(f, body.get(f));
    }
    stored.set("metadata", metadata == null || metadata.isNull() ? Json.object() : metadata);
    stored.put("created_at", clock.instant().toString());
    events.add(stored);
    return ApiResponse.json(201, Json.SUCCESS);
  }

  ApiResponse list(Exchange ex) {
    List<Predicate<JsonNode>> filters = new ArrayList<>();
    for (String f :
        List.of(
            "group",
            "action",
            "action_type",
            "actor_name",
            "actor_id",
            "target_name",
            "target_id")) {
      List<String> values = ex.params(f);
      if (!values.isEmpty()) {
        filters.add(e -> values.contains(e.path(f).asText()));
      }
    }
    time(ex, "occurred_at_gt", filters, c -> c > 0);
    time(ex, "occurred_at_gte", filters, c -> c >= 0);
    time(ex, "occurred_at_lt", filters, c -> c < 0);
    time(ex, "occurred_at_lte", filters, c -> c <= 0);
    ex.param("search")
        .ifPresent(
            s -> {
              String needle = s.toLowerCase(Locale.ROOT);
              filters.add(e -> e.toString().toLowerCase(Locale.ROOT).contains(needle));
            });
    List<ObjectNode> matching = new ArrayList<>();
    for (ObjectNode e : events) {
      if (filters.stream().allMatch(p -> p.test(e))) {
        matching.add(e);
      }
    }
    return ApiResponse.json(
        200, Paging.page(ex, matching, e -> e.path("id").asText(), e -> e, "listMetadata"));
  }

  private static void time(
      Exchange ex,
      String param,
      List<Predicate<JsonNode>> filters,
      java.util.function.IntPredicate accept) {
    ex.param(param)
        .ifPresent(
            v -> {
              Instant bound;
              try {
                bound = DateTimeFormatter.ISO_DATE_TIME.parse(v, Instant::from);
              } catch (DateTimeParseException e) {
                throw new ApiException(
                    Json.error(422, "invalid_date", param + ": expected an ISO-8601 date-time"));
              }
              filters.add(
                  e -> {
                    Instant at =
                        DateTimeFormatter.ISO_DATE_TIME.parse(
                            e.path("occurred_at").asText(), Instant::from);
                    return accept.test(at.compareTo(bound));
                  });
            });
  }

  void clear() {
    events.clear();
  }
}
