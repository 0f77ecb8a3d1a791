package io.auditpipe.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);
  private static final Set<TopicPartition> ASSIGNED = Set.of(P0, P1);

  @Test
  void commitsOnlyBelowTheFirstUnresolvedRecord() {
    OffsetTracker tracker = new OffsetTracker();
    OffsetTracker.Entry a = tracker.track(P0, 10, 100);
    OffsetTracker.Entry b = tracker.track(P0, 11, 100);
    OffsetTracker.Entry c = tracker.track(P0, 12, 100);
    Map<TopicPartition, OffsetAndMetadata> proposed = Map.of(P0, new OffsetAndMetadata(13));

    tracker.resolve(b);
    tracker.resolve(c);
    assertThat(tracker.committable(proposed, ASSIGNED))
        .containsEntry(P0, new OffsetAndMetadata(10));
    assertThat(tracker.unresolvedRecords()).isEqualTo(1);
    assertThat(tracker.unresolvedBytes()).isEqualTo(100);

    tracker.resolve(a);
    assertThat(tracker.committable(proposed, ASSIGNED))
        .containsEntry(P0, new OffsetAndMetadata(13));
    assertThat(tracker.unresolvedRecords()).isZero();
  }

  @Test
  void partitionsAreIndependent() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.track(P0, 5, 1);
    OffsetTracker.Entry p1 = tracker.track(P1, 7, 1);
    tracker.resolve(p1);
    assertThat(
            tracker.committable(
                Map.of(P0, new OffsetAndMetadata(6), P1, new OffsetAndMetadata(8)), ASSIGNED))
        .containsEntry(P0, new OffsetAndMetadata(5))
        .containsEntry(P1, new OffsetAndMetadata(8));
  }

  @Test
  void resolvingTwiceCountsOnce() {
    OffsetTracker tracker = new OffsetTracker();
    OffsetTracker.Entry a = tracker.track(P0, 1, 10);
    tracker.track(P0, 2, 10);
    tracker.resolve(a);
    tracker.resolve(a);
    assertThat(tracker.unresolvedRecords()).isEqualTo(1);
    assertThat(tracker.unresolvedBytes()).isEqualTo(10);
  }

  @Test
  void releasedPartitionsStopCountingAndIgnoreLateResolutions() {
    OffsetTracker tracker = new OffsetTracker();
    OffsetTracker.Entry a = tracker.track(P0, 1, 10);
    tracker.track(P1, 1, 10);
    tracker.release(List.of(P0));
    assertThat(tracker.unresolvedRecords()).isEqualTo(1);
    assertThat(tracker.isDiscarded(a)).isTrue();
    tracker.resolve(a);
    assertThat(tracker.unresolvedRecords()).isEqualTo(1);
    assertThat(tracker.committable(Map.of(P0, new OffsetAndMetadata(2)), ASSIGNED))
        .containsEntry(P0, new OffsetAndMetadata(2));
  }

  @Test
  void recordsHeldOutsideTheAssignmentHoldBackPartitionsWithoutRecords() {
    // E.g. records tracked under a renamed topic: Connect proposes the consumed partition P0, for
    // which the tracker holds nothing, while "audit-t"-0, which the task is not assigned, holds a
    // record in flight.
    OffsetTracker tracker = new OffsetTracker();
    OffsetTracker.Entry elsewhere = tracker.track(new TopicPartition("audit-t", 0), 4, 1);
    OffsetTracker.Entry p1 = tracker.track(P1, 3, 1);
    Map<TopicPartition, OffsetAndMetadata> proposed =
        Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(4));
    assertThat(tracker.committable(proposed, ASSIGNED))
        .doesNotContainKey(P0)
        .containsEntry(P1, new OffsetAndMetadata(3));
    tracker.resolve(p1);
    assertThat(tracker.committable(proposed, ASSIGNED)).doesNotContainKey(P0);
    tracker.resolve(elsewhere);
    assertThat(tracker.committable(proposed, ASSIGNED)).isEqualTo(proposed);
  }
}
