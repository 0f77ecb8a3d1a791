package io.auditpipe.cli.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a reconciliation found, for people (text) and machines (JSON, JSON lines). */
public final class ReconcileReport {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final long records;
  private final Map<String, OrganizationMatch> organizations;
  private final List<Unresolved> unresolved;
  private final long skipped;

  public ReconcileReport(ExpectedEvents events) {
    this.records = events.records();
    this.organizations = events.organizations();
    this.unresolved = events.unresolved();
    this.skipped = events.skipped();
  }

  public long expected() {
    return organizations.values().stream().mapToLong(OrganizationMatch::expected).sum();
  }

  public long found() {
    return organizations.values().stream().mapToLong(OrganizationMatch::found).sum();
  }

  public List<ExpectedEvent> missing() {
    List<ExpectedEvent> missing = new ArrayList<>();
    organizations.values().forEach(o -> missing.addAll(o.missing()));
    return missing;
  }

  public void text(PrintWriter out) {
    List<ExpectedEvent> missing = missing();
    long unexpected = organizations.values().stream().mapToLong(o -> o.unexpected().size()).sum();
    out.printf(
        "%d source record(s) read; %d event(s) expected in %d organization(s)%n",
        records, expected(), organizations.size());
    out.printf("found      %d%n", found());
    out.printf("missing    %d%n", missing.size());
    out.printf("unexpected %d%n", unexpected);
    out.printf(
        "not delivered by design: %d dead-lettered or unmappable, %d skipped%n",
        unresolved.size(), skipped);
    for (ExpectedEvent e : missing) {
      out.printf(
          "missing    %s-%d@%d  rule %s  %s  %s  %s  idempotency key %s%n",
          e.topic(),
          e.partition(),
          e.offset(),
          e.rule(),
          e.organizationId(),
          e.action(),
          e.occurredAt(),
          e.idempotencyKey());
    }
    organizations
        .values()
        .forEach(
            o ->
                o.unexpected()
                    .forEach(
                        r ->
                            out.printf(
                                "unexpected %s  event %s  %s  %s%n",
                                o.organizationId(), r.id(), r.action(), r.occurredAt())));
    for (Unresolved u : unresolved) {
      out.printf(
          "%-10s %s-%d@%d  %s%s%n",
          u.stage().startsWith("dead-lettered") ? "dlq" : "unmappable",
          u.topic(),
          u.partition(),
          u.offset(),
          u.stage(),
          (u.rule().isEmpty() ? "" : "  rule " + u.rule()) + "  " + u.reason());
    }
    out.flush();
  }

  public void json(PrintWriter out) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("records", records);
    root.put("expected", expected());
    root.put("found", found());
    ArrayNode missing = root.putArray("missing");
    missing().forEach(e -> missing.add(missing(e)));
    ArrayNode unexpected = root.putArray("unexpected");
    organizations
        .values()
        .forEach(
            o ->
                o.unexpected()
                    .forEach(
                        r ->
                            unexpected
                                .addObject()
                                .put("organization_id", o.organizationId())
                                .put("id", r.id())
                                .put("action", r.action())
                                .put("occurred_at", r.occurredAt())));
    ArrayNode notDelivered = root.putArray("not_delivered");
    for (Unresolved u : unresolved) {
      notDelivered
          .addObject()
          .put("topic", u.topic())
          .put("partition", u.partition())
          .put("offset", u.offset())
          .put("stage", u.stage())
          .put("rule", u.rule())
          .put("reason", u.reason());
    }
    root.put("skipped", skipped);
    out.println(write(root));
    out.flush();
  }

  /** One JSON object per missing event. */
  public void missingJsonLines(PrintWriter out) {
    missing().forEach(e -> out.println(write(missing(e))));
    out.flush();
  }

  private static ObjectNode missing(ExpectedEvent e) {
    return MAPPER
        .createObjectNode()
        .put("topic", e.topic())
        .put("partition", e.partition())
        .put("offset", e.offset())
        .put("rule", e.rule())
        .put("organization_id", e.organizationId())
        .put("action", e.action())
        .put("occurred_at", e.occurredAt())
        .put("idempotency_key", e.idempotencyKey());
  }

  private static String write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }
}
