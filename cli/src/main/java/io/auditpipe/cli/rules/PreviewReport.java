package io.auditpipe.cli.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.core.json.JsonProblems;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.core.rules.MappingFailure;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.UnmatchedPolicy;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Prints what {@code rules preview} made of each line: mapped events to stdout, failures and lines
 * that are not JSON to stderr, and a closing count to stderr.
 */
final class PreviewReport {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PrintWriter out;
  private final PrintWriter err;
  private final PreviewFormat format;
  private final UnmatchedPolicy unmatchedPolicy;

  private int records;
  private int mapped;
  private int events;
  private int unmatched;
  private int failed;
  private int notJson;

  PreviewReport(
      PrintWriter out, PrintWriter err, PreviewFormat format, UnmatchedPolicy unmatchedPolicy) {
    this.out = out;
    this.err = err;
    this.format = format;
    this.unmatchedPolicy = unmatchedPolicy;
  }

  void outcome(int line, long offset, MappingOutcome outcome) {
    records++;
    if (outcome instanceof MappingOutcome.Mapped m) {
      mapped++;
      for (MappedEvent event : m.events()) {
        events++;
        printEvent(line, offset, event);
      }
    } else if (outcome instanceof MappingOutcome.Unmatched) {
      unmatched++;
      if (format == PreviewFormat.text) {
        out.println(
            "# line "
                + line
                + ", offset "
                + offset
                + ": unmatched, no rule selects it (unmatched: "
                + unmatchedPolicy.externalName()
                + ")");
      }
    } else if (outcome instanceof MappingOutcome.Failed f) {
      failed++;
      out.flush();
      for (MappingFailure failure : f.failures()) {
        err.println(
            "line "
                + line
                + ", offset "
                + offset
                + ": "
                + failure.stage().name().toLowerCase(Locale.ROOT)
                + " failed: "
                + failure);
      }
      err.flush();
    }
    out.flush();
  }

  void notJson(int line, long offset, JsonProcessingException e) {
    String where = e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
    notJson(line, offset, "not JSON" + where + ": " + JsonProblems.reason(e));
  }

  /** JSON text is UTF-8: a line that is not cannot be JSON. */
  void notUtf8(int line, long offset, int badByte) {
    notJson(line, offset, "not UTF-8 text (byte " + badByte + ")");
  }

  void invalidEnvelope(int line, long offset, String reason) {
    records++;
    failed++;
    out.flush();
    err.println("line " + line + ", offset " + offset + ": " + reason);
    err.flush();
  }

  private void notJson(int line, long offset, String reason) {
    records++;
    notJson++;
    out.flush();
    err.println("line " + line + ", offset " + offset + ": " + reason);
    err.flush();
  }

  void unexpected(int line, long offset, RuntimeException e) {
    records++;
    failed++;
    out.flush();
    err.println(
        "line "
            + line
            + ", offset "
            + offset
            + ": internal error while mapping (set AUDITPIPE_STACKTRACE=1 for details)");
    if (System.getenv("AUDITPIPE_STACKTRACE") != null) {
      e.printStackTrace(err);
    }
    err.flush();
  }

  void summary() {
    out.flush();
    err.println(
        records
            + " record(s): "
            + mapped
            + " mapped into "
            + events
            + " event(s), "
            + unmatched
            + " unmatched, "
            + failed
            + " failed, "
            + notJson
            + " not JSON");
    err.flush();
  }

  void flush() {
    out.flush();
    err.flush();
  }

  boolean hasProblems() {
    return failed > 0 || notJson > 0;
  }

  private void printEvent(int line, long offset, MappedEvent event) {
    JsonNode body = AuditEventJson.toJsonNode(event.event());
    try {
      if (format == PreviewFormat.jsonl) {
        ObjectNode entry = MAPPER.createObjectNode();
        entry.put("line", line);
        entry.put("offset", offset);
        entry.put("rule", event.rule());
        entry.put("idempotency_key", event.idempotencyKey());
        entry.set("request", body);
        out.println(MAPPER.writeValueAsString(entry));
      } else {
        out.println(
            "# line "
                + line
                + ", offset "
                + offset
                + ": rule \""
                + event.rule()
                + "\", Idempotency-Key "
                + event.idempotencyKey());
        out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body));
      }
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
