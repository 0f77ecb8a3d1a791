package io.auditpipe.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.model.Violation;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The data directory's {@code events.jsonl}: one accepted event per line, written as it is
 * accepted, so a local run keeps its events across restarts. Appends are serialised; only local
 * runs use a journal, never benchmarks.
 */
public final class EventJournal implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path file;
  private BufferedWriter writer;

  public EventJournal(Path directory) {
    try {
      Files.createDirectories(directory);
      this.file = directory.resolve("events.jsonl");
      this.writer = open(StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the data directory " + directory, e);
    }
  }

  private BufferedWriter open(StandardOpenOption mode) throws IOException {
    return Files.newBufferedWriter(
        file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
  }

  List<StoredEvent> load() {
    List<StoredEvent> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = MAPPER.readTree(line);
        List<Violation> v = new ArrayList<>();
        Optional<AuditEvent> event =
            AuditEventJson.readEvent(
                n.path("organization_id").asText(), n.get("event"), "event", v);
        if (event.isPresent()) {
          JsonNode key = n.get("idempotency_key");
          ObjectNode body = MAPPER.createObjectNode();
          body.put("organization_id", event.get().organizationId());
          body.set("event", n.get("event"));
          out.add(
              new StoredEvent(
                  n.path("id").asText(),
                  event.get(),
                  MAPPER.writeValueAsBytes(body),
                  Instant.parse(n.path("received_at").asText()),
                  key == null || key.isNull() ? Optional.empty() : Optional.of(key.asText())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }

  synchronized void append(StoredEvent event) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", event.id());
    n.put("organization_id", event.organizationId());
    n.put("received_at", event.receivedAt().toString());
    event.idempotencyKey().ifPresent(k -> n.put("idempotency_key", k));
    n.set("event", event.json());
    try {
      writer.write(MAPPER.writeValueAsString(n));
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  synchronized void truncate() {
    try {
      writer.close();
      writer = open(StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot truncate " + file, e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}
