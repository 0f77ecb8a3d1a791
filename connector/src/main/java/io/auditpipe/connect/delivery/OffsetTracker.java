package io.auditpipe.connect.delivery;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Tracks, per partition, the records taken by {@code put()} until each is resolved (delivered,
 * skipped or dead-lettered), in any order, and answers which offset is safe to commit: the offset
 * of the first unresolved record, so that every record below it is resolved. Also accounts the
 * records and estimated bytes held, for the buffer bounds. Thread-safe: records are taken on the
 * task thread and resolved on the delivery client's threads.
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

  private static final class PartitionState {
    final ArrayDeque<Entry> entries = new ArrayDeque<>();
    long next = -1;
  }

  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private int records;
  private long bytes;

  /** Takes a record; it holds back the partition's commit offset until {@link #resolve}d. */
  public synchronized Entry track(TopicPartition partition, long offset, long estimatedBytes) {
    PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
    Entry entry = new Entry(partition, offset, estimatedBytes);
    state.entries.addLast(entry);
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
    PartitionState state = partitions.get(entry.partition);
    while (!state.entries.isEmpty() && state.entries.peekFirst().resolved) {
      state.next = state.entries.pollFirst().offset + 1;
    }
  }

  /**
   * The offsets to commit: for each partition Connect proposes, the offset of its first unresolved
   * record if there is one, else what Connect proposes.
   */
  public synchronized Map<TopicPartition, OffsetAndMetadata> committable(
      Map<TopicPartition, OffsetAndMetadata> proposed) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : proposed.entrySet()) {
      PartitionState state = partitions.get(e.getKey());
      if (state == null || state.entries.isEmpty()) {
        out.put(e.getKey(), e.getValue());
        continue;
      }
      long firstUnresolved = state.entries.peekFirst().offset;
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
      PartitionState state = partitions.remove(tp);
      if (state == null) {
        continue;
      }
      for (Entry entry : state.entries) {
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
