package io.auditpipe.cli.reconcile;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * What a reconciliation found, for people (text) and machines (JSON, JSON lines). The per-record
 * findings are streamed from {@link ReconcileFindings}' files, never held in memory.
 */
public final class ReconcileReport {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ExpectedEvents events;
  private final long found;
  private final ReconcileFindings findings;

  /**
   * @param found how many expected events an exported row matched
   */
  public ReconcileReport(ExpectedEvents events, long found, ReconcileFindings findings) {
    this.events = events;
    this.found = found;
    this.findings = findings;
  }

  public long expected() {
    return events.expected();
  }

  public long found() {
    return found;
  }

  public long missing() {
    return findings.missingCount();
  }

  public void text(PrintWriter out) {
    out.printf(
        "%d source record(s) read; %d event(s) expected in %d organization(s)%n",
        events.records(), expected(), events.organizations().size());
    out.printf("found      %d%n", found());
    out.printf("missing    %d%n", missing());
    out.printf("unexpected %d%n", findings.unexpectedCount());
    out.printf(
        "not delivered by design: %d dead-lettered or unmappable, %d skipped%n",
        findings.notDeliveredCount(), events.skipped());
    findings.eachMissing(
        line -> {
          JsonNode e = read(line);
          out.printf(
              "missing    %s-%d@%d  rule %s  %s  %s  %s  idempotency key %s%n",
              e.path("topic").asText(),
              e.path("partition").asInt(),
              e.path("offset").asLong(),
              e.path("rule").asText(),
              e.path("organization_id").asText(),
              e.path("action").asText(),
              e.path("occurred_at").asText(),
              e.path("idempotency_key").asText());
        });
    findings.eachUnexpected(
        line -> {
          JsonNode r = read(line);
          out.printf(
              "unexpected %s  event %s  %s  %s%n",
              r.path("organization_id").asText(),
              r.path("id").asText(),
              r.path("action").asText(),
              r.path("occurred_at").asText());
        });
    findings.eachNotDelivered(
        line -> {
          JsonNode u = read(line);
          String stage = u.path("stage").asText();
          String rule = u.path("rule").asText();
          out.printf(
              "%-10s %s-%d@%d  %s%s%n",
              stage.startsWith("dead-lettered") ? "dlq" : "unmappable",
              u.path("topic").asText(),
              u.path("partition").asInt(),
              u.path("offset").asLong(),
              stage,
              (rule.isEmpty() ? "" : "  rule " + rule) + "  " + u.path("reason").asText());
        });
    out.flush();
  }

  public void json(PrintWriter out) {
    try {
      JsonGenerator g = MAPPER.getFactory().createGenerator(out);
      g.writeStartObject();
      g.writeNumberField("records", events.records());
      g.writeNumberField("expected", expected());
      g.writeNumberField("found", found());
      g.writeArrayFieldStart("missing");
      findings.eachMissing(line -> raw(g, line));
      g.writeEndArray();
      g.writeArrayFieldStart("unexpected");
      findings.eachUnexpected(line -> raw(g, line));
      g.writeEndArray();
      g.writeArrayFieldStart("not_delivered");
      findings.eachNotDelivered(line -> raw(g, line));
      g.writeEndArray();
      g.writeNumberField("skipped", events.skipped());
      g.writeEndObject();
      g.flush();
      out.println();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One JSON object per missing event. */
  public void missingJsonLines(PrintWriter out) {
    findings.eachMissing(out::println);
    out.flush();
  }

  private static void raw(JsonGenerator g, String line) {
    try {
      g.writeRawValue(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(String line) {
    try {
      return MAPPER.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
