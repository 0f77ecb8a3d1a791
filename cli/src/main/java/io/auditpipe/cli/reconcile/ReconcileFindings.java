package io.auditpipe.cli.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What reconcile found per record, written to disk as it is found (one JSON object a line, in the
 * shape the JSON report prints) so that a range where everything is missing or unmappable needs no
 * more memory than one where nothing is: missing events, unexpected rows, records not delivered by
 * design.
 */
public final class ReconcileFindings implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path dir;
  private final Spill missing;
  private final Spill unexpected;
  private final Spill notDelivered;

  public ReconcileFindings(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.missing = new Spill(dir.resolve("missing.jsonl"));
    this.unexpected = new Spill(dir.resolve("unexpected.jsonl"));
    this.notDelivered = new Spill(dir.resolve("not-delivered.jsonl"));
  }

  public void missing(ExpectedEvent e) {
    missing.write(
        MAPPER
            .createObjectNode()
            .put("topic", e.topic())
            .put("partition", e.partition())
            .put("offset", e.offset())
            .put("rule", e.rule())
            .put("organization_id", e.organizationId())
            .put("action", e.action())
            .put("occurred_at", e.occurredAt())
            .put("idempotency_key", e.idempotencyKey()));
  }

  public void unexpected(String organizationId, ExportRow r) {
    unexpected.write(
        MAPPER
            .createObjectNode()
            .put("organization_id", organizationId)
            .put("id", r.id())
            .put("action", r.action())
            .put("occurred_at", r.occurredAt()));
  }

  public void notDelivered(Unresolved u) {
    notDelivered.write(
        MAPPER
            .createObjectNode()
            .put("topic", u.topic())
            .put("partition", u.partition())
            .put("offset", u.offset())
            .put("stage", u.stage())
            .put("rule", u.rule())
            .put("reason", u.reason()));
  }

  public long missingCount() {
    return missing.count;
  }

  public long unexpectedCount() {
    return unexpected.count;
  }

  public long notDeliveredCount() {
    return notDelivered.count;
  }

  /** Hands each missing event's JSON line to {@code lines}, in the order they were found. */
  public void eachMissing(Consumer<String> lines) {
    missing.each(lines);
  }

  public void eachUnexpected(Consumer<String> lines) {
    unexpected.each(lines);
  }

  public void eachNotDelivered(Consumer<String> lines) {
    notDelivered.each(lines);
  }

  @Override
  public void close() {
    missing.close();
    unexpected.close();
    notDelivered.close();
    try {
      Files.deleteIfExists(missing.file);
      Files.deleteIfExists(unexpected.file);
      Files.deleteIfExists(notDelivered.file);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One append-only file of JSON lines, readable once writing is done. */
  private static final class Spill {
    final Path file;
    BufferedWriter out;
    long count;

    Spill(Path file) {
      this.file = file;
    }

    void write(ObjectNode node) {
      try {
        if (out == null) {
          out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }
        out.write(MAPPER.writeValueAsString(node));
        out.newLine();
        count++;
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write a JSON tree", e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void each(Consumer<String> lines) {
      if (count == 0) {
        return;
      }
      try {
        out.flush();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            lines.accept(line);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void close() {
      if (out != null) {
        try {
          out.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
