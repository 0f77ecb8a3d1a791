package io.auditpipe.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.core.model.AuditEventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One golden case: {@code rules.json}, {@code input.jsonl} (one record per line: topic, partition,
 * offset, timestamp, key, headers, value) and {@code expected.jsonl} (per record: the WorkOS
 * request bodies with rule and idempotency key, {@code unmatched}, or the failures).
 */
final class GoldenCase {

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** An input line as a record. */
  record Input(JsonNode value, RecordContext context) {}

  static List<Input> inputs(Path file) throws IOException {
    List<Input> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = MAPPER.readTree(line);
      Optional<Instant> ts = Optional.empty();
      JsonNode t = n.get("timestamp");
      if (t != null && t.isNumber()) {
        ts = Optional.of(Instant.ofEpochMilli(t.longValue()));
      } else if (t != null && t.isTextual()) {
        ts = Optional.of(Instant.parse(t.textValue()));
      }
      Map<String, String> headers = new TreeMap<>();
      JsonNode h = n.get("headers");
      if (h != null) {
        for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          headers.put(e.getKey(), e.getValue().textValue());
        }
      }
      RecordContext ctx =
          new RecordContext(
              n.path("topic").asText("orders"),
              n.path("partition").asInt(0),
              n.path("offset").asLong(0),
              ts,
              Optional.ofNullable(n.get("key")),
              headers);
      out.add(new Input(n.get("value"), ctx));
    }
    return out;
  }

  /** The record's value as the JSON bytes a topic carries ({@code null} for no value). */
  static byte[] bytes(Input input) {
    try {
      return MAPPER.writeValueAsBytes(input.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The outcome as one line of {@code expected.jsonl}. */
  static JsonNode render(MappingOutcome outcome) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (outcome instanceof MappingOutcome.Mapped m) {
      ArrayNode events = out.putArray("mapped");
      for (MappedEvent e : m.events()) {
        ObjectNode event = events.addObject();
        event.put("rule", e.rule());
        event.put("idempotency_key", e.idempotencyKey());
        event.set("request", AuditEventJson.toJsonNode(e.event()));
      }
    } else if (outcome instanceof MappingOutcome.Failed f) {
      ArrayNode failures = out.putArray("failed");
      for (MappingFailure failure : f.failures()) {
        ObjectNode o = failures.addObject();
        o.put("stage", failure.stage().name());
        o.put("rule", failure.rule());
        o.put("location", failure.location());
        o.put("reason", failure.reason());
      }
    } else {
      out.put("unmatched", true);
    }
    return out;
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private GoldenCase() {}
}
