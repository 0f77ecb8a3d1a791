package io.auditpipe.cli.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RecordContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Sample record values, one per non-blank line of a file, replayed in a loop. Lines are sent as
 * they are, bad ones included, so the pipeline meets what real topics hold. So that each pass is
 * new events rather than repeats WorkOS would deduplicate, pass {@code n > 0} suffixes the
 * top-level {@code event_id} and {@code id} string values of JSON object lines with {@code -n}.
 */
final class SampleEvents {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> ID_FIELDS = List.of("event_id", "id");

  private final List<String> lines;
  private final List<List<String>> ids;

  private SampleEvents(List<String> lines) {
    this.lines = List.copyOf(lines);
    List<List<String>> found = new ArrayList<>();
    for (String line : lines) {
      found.add(idsOf(line));
    }
    this.ids = List.copyOf(found);
  }

  static SampleEvents read(Path file) throws IOException {
    List<String> lines =
        Files.readAllLines(file, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank())
            .toList();
    if (lines.isEmpty()) {
      throw new IOException(file + ": expected sample events, one per line, found none");
    }
    return new SampleEvents(lines);
  }

  int size() {
    return lines.size();
  }

  /** The value of the {@code sequence}-th record produced (0-based, across passes). */
  byte[] value(long sequence) {
    int index = (int) (sequence % lines.size());
    long pass = sequence / lines.size();
    String line = lines.get(index);
    if (pass > 0) {
      for (String id : ids.get(index)) {
        String quoted = quote(id);
        line = line.replace(quoted, quote(id + "-" + pass));
      }
    }
    return line.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The organization ids the rules give the samples as records of {@code topic}: what a WorkOS
   * stand-in must know for their events to be accepted.
   */
  Set<String> organizations(CompiledRules rules, String topic) {
    Set<String> organizations = new TreeSet<>();
    for (int i = 0; i < lines.size(); i++) {
      JsonNode value;
      try {
        value = MAPPER.readTree(lines.get(i));
      } catch (JsonProcessingException e) {
        continue;
      }
      RecordContext context =
          new RecordContext(topic, 0, i, Optional.of(Instant.now()), Optional.empty(), Map.of());
      if (rules.map(value, context) instanceof MappingOutcome.Mapped mapped) {
        for (MappedEvent event : mapped.events()) {
          organizations.add(event.event().organizationId());
        }
      }
    }
    return organizations;
  }

  private static List<String> idsOf(String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return List.of();
    }
    List<String> found = new ArrayList<>();
    if (node != null && node.isObject()) {
      for (String field : ID_FIELDS) {
        JsonNode value = node.get(field);
        if (value != null && value.isTextual() && !value.textValue().isEmpty()) {
          found.add(value.textValue());
        }
      }
    }
    return found;
  }

  private static String quote(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a string always serializes", e);
    }
  }
}
