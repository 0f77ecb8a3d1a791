package io.auditpipe.workos.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What to export: one organization's events in {@code [rangeStart, rangeEnd]} (at most the past
 * three months), optionally filtered; empty filter lists are not sent.
 *
 * @param actorNames actor names ({@code actor_names}; {@code actors} is WorkOS's deprecated alias)
 * @param targets target types
 */
public record ExportRequest(
    String organizationId,
    Instant rangeStart,
    Instant rangeEnd,
    List<String> actions,
    List<String> actorNames,
    List<String> actorIds,
    List<String> targets) {

  public ExportRequest {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(rangeStart, "rangeStart");
    Objects.requireNonNull(rangeEnd, "rangeEnd");
    actions = List.copyOf(actions);
    actorNames = List.copyOf(actorNames);
    actorIds = List.copyOf(actorIds);
    targets = List.copyOf(targets);
  }

  /** All events of an organization in a range. */
  public static ExportRequest of(String organizationId, Instant rangeStart, Instant rangeEnd) {
    return new ExportRequest(
        organizationId, rangeStart, rangeEnd, List.of(), List.of(), List.of(), List.of());
  }
}
