package io.auditpipe.connect.delivery;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Tracks, per partition, the records taken by {@code put()} until each is resolved (delivered,
 * skipped or dead-lettered), in any order, and answers which offset is safe to commit: the offset
 * of the first unresolved record, so that every record below it is resolved. Also accounts the
 * records and estimated bytes held, for the buffer bounds. Thread-safe: records are taken on the
 * task thread and resolved on the delivery client's threads.
 *
 * <p>Records must be tracked under the partition and offset the consumer read them at (a sink
 * record's original coordinates, KIP-793), since those are what Connect proposes and commits; a
 * transform that renames the topic must not move the key away from the partition it commits.
 */
public final class OffsetTracker {

  /** One record taken and not yet passed by the watermark. */
  public static final class Entry {
    private final TopicPartition partition;
    private final long offset;
    private final long bytes;
    private boolean resolved;
    // Volatile so that isDiscarded, asked per event on the delivery path, takes no lock.
    private volatile boolean discarded;

    private Entry(TopicPartition partition, long offset, long bytes) {
      this.partition = partition;
      this.offset = offset;
      this.bytes = bytes;
    }

    public TopicPartition partition() {
      return partition;
    }

    public long offset() {
      return offset;
    }
  }

  private final Map<TopicPartition, ArrayDeque<Entry>> partitions = new HashMap<>();
  private int records;
  private long bytes;

  /** Takes a record; it holds back the partition's commit offset until {@link #resolve}d. */
  public synchronized Entry track(TopicPartition partition, long offset, long estimatedBytes) {
    ArrayDeque<Entry> entries = partitions.computeIfAbsent(partition, p -> new ArrayDeque<>());
    Entry entry = new Entry(partition, offset, estimatedBytes);
    entries.addLast(entry);
    records++;
    bytes += estimatedBytes;
    return entry;
  }

  /**
   * Marks a record resolved. Idempotent; ignores records of partitions released by {@link #release}
   * since they were taken.
   */
  public synchronized void resolve(Entry entry) {
    if (entry.resolved || entry.discarded) {
      return;
    }
    entry.resolved = true;
    records--;
    bytes -= entry.bytes;
    ArrayDeque<Entry> entries = partitions.get(entry.partition);
    while (!entries.isEmpty() && entries.peekFirst().resolved) {
      entries.pollFirst();
    }
  }

  /**
   * The offsets to commit: for each partition Connect proposes, the offset of its first unresolved
   * record if there is one, else what Connect proposes. When unresolved records are held under a
   * partition outside the task's {@code assignment} (records tracked under coordinates the consumer
   * did not read them at), no partition without records of its own can be proven clean: those are
   * left out of the answer, so Connect commits nothing new for them rather than passing records in
   * flight.
   */
  public synchronized Map<TopicPartition, OffsetAndMetadata> committable(
      Map<TopicPartition, OffsetAndMetadata> proposed, Set<TopicPartition> assignment) {
    boolean unaccounted = false;
    for (Map.Entry<TopicPartition, ArrayDeque<Entry>> held : partitions.entrySet()) {
      TopicPartition tp = held.getKey();
      if (!held.getValue().isEmpty() && !assignment.contains(tp) && !proposed.containsKey(tp)) {
        unaccounted = true;
        break;
      }
    }
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : proposed.entrySet()) {
      ArrayDeque<Entry> entries = partitions.get(e.getKey());
      if (entries == null || entries.isEmpty()) {
        if (!unaccounted) {
          out.put(e.getKey(), e.getValue());
        }
        continue;
      }
      long firstUnresolved = entries.peekFirst().offset;
      if (firstUnresolved < e.getValue().offset()) {
        out.put(e.getKey(), new OffsetAndMetadata(firstUnresolved));
      } else {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /**
   * Forgets partitions this task no longer owns; their unresolved records no longer count and
   * resolving them later has no effect.
   */
  public synchronized void release(Collection<TopicPartition> released) {
    for (TopicPartition tp : released) {
      ArrayDeque<Entry> entries = partitions.remove(tp);
      if (entries == null) {
        continue;
      }
      for (Entry entry : entries) {
        if (!entry.resolved) {
          entry.discarded = true;
          records--;
          bytes -= entry.bytes;
        }
      }
    }
  }

  /** Whether the record's partition was released since it was taken. */
  public boolean isDiscarded(Entry entry) {
    return entry.discarded;
  }

  /** Records taken and not yet resolved. */
  public synchronized int unresolvedRecords() {
    return records;
  }

  /** Estimated bytes of records taken and not yet resolved. */
  public synchronized long unresolvedBytes() {
    return bytes;
  }
}
