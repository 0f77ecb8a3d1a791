package io.auditpipe.emulator.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Accepted events, append-only per organization: appends to different organizations never contend,
 * and appends to one organization are lock-free. An optional {@link EventJournal} keeps them across
 * restarts.
 */
public final class EventStore {

  private final Map<String, Queue<StoredEvent>> byOrganization = new ConcurrentHashMap<>();
  private final Queue<StoredEvent> inOrder = new ConcurrentLinkedQueue<>();
  private final LongAdder total = new LongAdder();
  private final Optional<EventJournal> journal;

  public EventStore(Optional<EventJournal> journal) {
    this.journal = journal;
    journal.ifPresent(j -> j.load().forEach(this::appendInMemory));
  }

  public void append(StoredEvent event) {
    appendInMemory(event);
    journal.ifPresent(j -> j.append(event));
  }

  private void appendInMemory(StoredEvent event) {
    byOrganization
        .computeIfAbsent(event.organizationId(), k -> new ConcurrentLinkedQueue<>())
        .add(event);
    inOrder.add(event);
    total.increment();
  }

  /** The organization's events in the order they were accepted. */
  public List<StoredEvent> events(String organizationId) {
    Queue<StoredEvent> q = byOrganization.get(organizationId);
    return q == null ? List.of() : new ArrayList<>(q);
  }

  /** Every organization's events, in the order they were accepted. */
  public List<StoredEvent> all() {
    return new ArrayList<>(inOrder);
  }

  public List<String> organizationIds() {
    return new ArrayList<>(byOrganization.keySet());
  }

  public long count() {
    return total.sum();
  }

  /** Forgets every event, including the journal's. */
  public void clear() {
    byOrganization.clear();
    inOrder.clear();
    total.reset();
    journal.ifPresent(EventJournal::truncate);
  }
}
