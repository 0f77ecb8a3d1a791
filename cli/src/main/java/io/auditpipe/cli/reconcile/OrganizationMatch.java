package io.auditpipe.cli.reconcile;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches one organization's expected events of one window with the rows of that window's export.
 * Each exported row takes one expected event with an equal {@link EventFingerprint} (the earliest
 * in source order); events with equal fingerprints are interchangeable, so they are matched as a
 * multiset: three expected and two exported means one missing, whichever it is reported as.
 */
public final class OrganizationMatch {

  private final String organizationId;
  private final Map<EventFingerprint, Deque<ExpectedEvent>> open = new HashMap<>();
  private final List<ExportRow> unexpected = new ArrayList<>();
  private long expected;
  private long found;

  public OrganizationMatch(String organizationId) {
    this.organizationId = organizationId;
  }

  public String organizationId() {
    return organizationId;
  }

  public void expect(ExpectedEvent event) {
    open.computeIfAbsent(event.fingerprint(), f -> new ArrayDeque<>()).add(event);
    expected++;
  }

  /** Matches one exported row; a row matching no open expected event is unexpected. */
  public void exported(ExportRow row) {
    Deque<ExpectedEvent> candidates = open.get(EventFingerprint.of(row));
    if (candidates == null || candidates.isEmpty()) {
      unexpected.add(row);
      return;
    }
    candidates.poll();
    found++;
  }

  public long expected() {
    return expected;
  }

  public long found() {
    return found;
  }

  /** The expected events no exported row matched, in source order per topic partition. */
  public List<ExpectedEvent> missing() {
    List<ExpectedEvent> missing = new ArrayList<>();
    open.values().forEach(missing::addAll);
    missing.sort(
        Comparator.comparing(ExpectedEvent::topic)
            .thenComparingInt(ExpectedEvent::partition)
            .thenComparingLong(ExpectedEvent::offset));
    return missing;
  }

  public List<ExportRow> unexpected() {
    return List.copyOf(unexpected);
  }

  /** The export range [start, end) covering every expected occurred_at; empty when none. */
  public Optional<Window> window() {
    Instant min = null;
    Instant max = null;
    for (Deque<ExpectedEvent> events : open.values()) {
      for (ExpectedEvent e : events) {
        Instant at = Instant.parse(e.occurredAt());
        min = min == null || at.isBefore(min) ? at : min;
        max = max == null || at.isAfter(max) ? at : max;
      }
    }
    return min == null ? Optional.empty() : Optional.of(new Window(min, max.plusMillis(1)));
  }

  /** An export's time range: from {@code start} inclusive to {@code end} exclusive. */
  public record Window(Instant start, Instant end) {}
}
