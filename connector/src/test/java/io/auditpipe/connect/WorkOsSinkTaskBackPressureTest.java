package io.auditpipe.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.auditpipe.connect.config.WorkOsSinkConnectorConfig;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.emulator.state.StoredEvent;
import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Back-pressure of {@link WorkOsSinkTask} (issue 5): driven the way a worker drives it — records of
 * unpaused partitions only, a put per poll, a preCommit after each — against the emulator with
 * added latency and two in-flight slots, so deliveries lag far behind what put() is handed.
 *
 * <p>The pause and resume decisions are checked with inequalities that hold whatever the timing:
 * the buffer gauge read before a put bounds what the task can have held at its decision from above
 * (plus the batch), and the gauge read after the put bounds it from below, since deliveries only
 * ever shrink it.
 */
class WorkOsSinkTaskBackPressureTest {

  private static final String API_KEY = "sk_test_auditpipe_backpressure";
  private static final String ORG = "org_backpressure";
  private static final String TOPIC = "orders";
  private static final List<TopicPartition> PARTITIONS =
      List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
  private static final int RECORDS_PER_PARTITION = 40;
  private static final int RECORDS_PER_PARTITION_PER_POLL = 3;
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

  /** Far above a non-blocking put, far below Connect's 5-minute poll interval. */
  private static final Duration PUT_BOUND = Duration.ofSeconds(10);

  private static final double EPSILON = 1e-9;

  @RegisterExtension
  static final WorkOsEmulatorExtension WORKOS =
      WorkOsEmulatorExtension.builder()
          .apiKey(API_KEY)
          .organization(ORG, "backpressure")
          .noRateLimit()
          .build();

  @Test
  void pausesAtTheRecordBoundAndResumesOnceHalfIsFree() throws Exception {
    int maxRecords = 16;
    Run run = drive(Map.of(WorkOsSinkConnectorConfig.BUFFER_MAX_RECORDS_CONFIG, "" + maxRecords));

    assertBackPressure(run);
    assertThat(run.puts)
        .as("records held after each put: below the bound before it, plus one batch at most")
        .allSatisfy(
            p -> assertThat(p.recordsAfter).isLessThanOrEqualTo(maxRecords - 1 + run.maxBatch));
    assertEveryRecordStoredOnce(run);
  }

  @Test
  void pausesAtTheByteBoundAndResumesOnceHalfIsFree() throws Exception {
    long maxBytes = 2_048;
    Run run = drive(Map.of(WorkOsSinkConnectorConfig.BUFFER_MAX_BYTES_CONFIG, "" + maxBytes));

    assertThat(run.puts)
        .as("records held stay far below the default record bound: the byte bound pauses")
        .allSatisfy(p -> assertThat(p.recordsAfter).isLessThan(64));
    assertBackPressure(run);
    assertEveryRecordStoredOnce(run);
  }

  /**
   * A rebalance while paused (eager: every partition revoked, then assigned again) releases the
   * buffer; the reassigned partitions are paused with the rest until the next put, which finds the
   * buffer empty and resumes them. The records are consumed again from the committed offset and
   * stored once, although their first sends are normally still in flight then.
   */
  @Test
  void aRebalanceWhilePausedReleasesTheBufferAndResumes() throws Exception {
    WORKOS.faults(FaultSettings.NONE.withLatency(1_000, 1_000));
    Map<String, String> props =
        taskProps(Map.of(WorkOsSinkConnectorConfig.BUFFER_MAX_RECORDS_CONFIG, "4"));
    try (RunningTask running = RunningTask.start(props, Set.copyOf(PARTITIONS))) {
      WorkOsSinkTask task = running.task();
      RecordingSinkTaskContext context = running.context();
      TaskPluginMetrics metrics = running.metrics();
      Map<TopicPartition, Long> next = new HashMap<>();
      List<SinkRecord> first = poll(context, next);
      task.put(first);
      assertThat(PARTITIONS).allMatch(context::isPaused);
      Map<TopicPartition, OffsetAndMetadata> consumed =
          Map.of(
              PARTITIONS.get(0), new OffsetAndMetadata(RECORDS_PER_PARTITION_PER_POLL),
              PARTITIONS.get(1), new OffsetAndMetadata(RECORDS_PER_PARTITION_PER_POLL));
      // What Connect commits before it revokes the partitions.
      assertCommitsOnlyStoredRecords(task.preCommit(consumed), consumed);

      task.close(PARTITIONS);
      assertThat(metrics.value("buffer-records")).isZero();
      task.open(PARTITIONS);
      assertThat(PARTITIONS).as("assigned while paused").allMatch(context::isPaused);
      task.put(List.of());
      assertThat(context.pauseCalls())
          .extracting(RecordingSinkTaskContext.PauseCall::pause)
          .containsExactly(true, true, false);
      assertThat(PARTITIONS).noneMatch(context::isPaused);

      // Consumed again from offset 0, normally while the first sends are still in flight.
      task.put(first);
      Instant until = Instant.now().plus(RUN_TIMEOUT);
      while (metrics.value("buffer-records") > 0) {
        if (Instant.now().isAfter(until)) {
          fail("expected the re-consumed records resolved within %s", RUN_TIMEOUT);
        }
        Thread.sleep(50);
        task.put(List.of());
      }
      assertThat(task.preCommit(consumed)).isEqualTo(consumed);
      assertThat(WORKOS.events(ORG))
          .extracting(e -> e.event().actor().id())
          .containsExactlyInAnyOrderElementsOf(
              first.stream()
                  .map(r -> id(new TopicPartition(r.topic(), r.kafkaPartition()), r.kafkaOffset()))
                  .toList());
    }
  }

  /** What one put saw. Fill is the task's buffer-fill-ratio gauge. */
  private record Put(
      int batch,
      long batchBytes,
      double fillBefore,
      double fillAfter,
      int recordsAfter,
      boolean pausedBefore,
      List<RecordingSinkTaskContext.PauseCall> calls,
      Duration took) {}

  private static final class Run {
    final int maxRecords;
    final long maxBytes;
    final List<Put> puts = new ArrayList<>();
    final List<RecordingSinkTaskContext.PauseCall> pauseCalls = new ArrayList<>();
    int maxBatch;
    Map<TopicPartition, OffsetAndMetadata> finalCommit = Map.of();

    Run(WorkOsSinkConnectorConfig config) {
      this.maxRecords = config.bufferMaxRecords();
      this.maxBytes = config.bufferMaxBytes();
    }

    /** A put's batch as a share of the bounds: how much it can raise the fill ratio. */
    double share(Put p) {
      return Math.max(p.batch / (double) maxRecords, p.batchBytes / (double) maxBytes);
    }

    double largestShare() {
      return puts.stream().mapToDouble(this::share).max().orElse(0);
    }
  }

  /**
   * Runs a task with the given buffer bound over {@link #RECORDS_PER_PARTITION} records of each
   * partition until every record is resolved, checking each preCommit on the way.
   */
  private static Run drive(Map<String, String> bound) throws Exception {
    WORKOS.faults(FaultSettings.NONE.withSeed(7).withLatency(80, 120));
    Map<String, String> props = taskProps(bound);
    Run run = new Run(new WorkOsSinkConnectorConfig(props));
    try (RunningTask running = RunningTask.start(props, Set.copyOf(PARTITIONS))) {
      WorkOsSinkTask task = running.task();
      RecordingSinkTaskContext context = running.context();
      TaskPluginMetrics metrics = running.metrics();
      Map<TopicPartition, Long> next = new HashMap<>();
      Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();
      Instant until = Instant.now().plus(RUN_TIMEOUT);
      while (true) {
        List<SinkRecord> batch = poll(context, next);
        long batchBytes = batch.stream().mapToLong(r -> ((byte[]) r.value()).length).sum();
        boolean pausedBefore = context.isPaused(PARTITIONS.get(0));
        double fillBefore = metrics.value("buffer-fill-ratio");
        int callsBefore = context.pauseCalls().size();
        long start = System.nanoTime();
        task.put(batch);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        List<RecordingSinkTaskContext.PauseCall> calls = context.pauseCalls();
        run.puts.add(
            new Put(
                batch.size(),
                batchBytes,
                fillBefore,
                metrics.value("buffer-fill-ratio"),
                (int) metrics.value("buffer-records"),
                pausedBefore,
                calls.subList(callsBefore, calls.size()),
                took));
        run.maxBatch = Math.max(run.maxBatch, batch.size());
        for (SinkRecord r : batch) {
          consumed.put(
              new TopicPartition(r.topic(), r.kafkaPartition()),
              new OffsetAndMetadata(r.kafkaOffset() + 1));
        }

        Map<TopicPartition, OffsetAndMetadata> committable = task.preCommit(Map.copyOf(consumed));
        assertCommitsOnlyStoredRecords(committable, consumed);

        boolean allTaken =
            PARTITIONS.stream().allMatch(tp -> next.getOrDefault(tp, 0L) == RECORDS_PER_PARTITION);
        if (allTaken && metrics.value("buffer-records") == 0) {
          run.finalCommit = task.preCommit(Map.copyOf(consumed));
          break;
        }
        if (Instant.now().isAfter(until)) {
          fail(
              "expected every record resolved within %s, found %s still held",
              RUN_TIMEOUT, metrics.value("buffer-records"));
        }
        if (batch.isEmpty()) {
          // An idle consumer poll lasts the timeout the task asked for.
          Thread.sleep(context.timeoutMs() > 0 ? context.timeoutMs() : 100);
        }
      }
      run.pauseCalls.addAll(context.pauseCalls());
      assertThat(PARTITIONS).noneMatch(context::isPaused);
    }
    return run;
  }

  /** The task's config: the emulator, two in-flight slots, and {@code bound}. */
  private static Map<String, String> taskProps(Map<String, String> bound) {
    Map<String, String> props = new HashMap<>();
    props.put(WorkOsSinkConnectorConfig.API_KEY_CONFIG, API_KEY);
    props.put(WorkOsSinkConnectorConfig.BASE_URL_CONFIG, WORKOS.baseUrl().toString());
    props.put(WorkOsSinkConnectorConfig.RATE_LIMIT_CONFIG, "0");
    props.put(WorkOsSinkConnectorConfig.MAX_IN_FLIGHT_CONFIG, "2");
    props.put(WorkOsSinkConnectorConfig.RULES_CONFIG, TestRules.orders(TOPIC, "skip"));
    props.putAll(bound);
    return props;
  }

  /** What the consumer returns: up to a few records of each partition that is not paused. */
  private static List<SinkRecord> poll(
      RecordingSinkTaskContext context, Map<TopicPartition, Long> next) {
    List<SinkRecord> batch = new ArrayList<>();
    for (TopicPartition tp : PARTITIONS) {
      if (context.isPaused(tp)) {
        continue;
      }
      for (int i = 0; i < RECORDS_PER_PARTITION_PER_POLL; i++) {
        long offset = next.getOrDefault(tp, 0L);
        if (offset == RECORDS_PER_PARTITION) {
          break;
        }
        batch.add(TestRecords.record(tp, offset, TestRecords.orderPaid(ORG, id(tp, offset), "1")));
        next.put(tp, offset + 1);
      }
    }
    return batch;
  }

  private static String id(TopicPartition tp, long offset) {
    return "p" + tp.partition() + "-o" + offset;
  }

  private static Set<String> storedIds() {
    return WORKOS.events(ORG).stream()
        .map(StoredEvent::event)
        .map(e -> e.actor().id())
        .collect(Collectors.toSet());
  }

  /**
   * Every record below a committable offset was stored by the emulator before the task resolved it,
   * so it must be among the stored events now.
   */
  private static void assertCommitsOnlyStoredRecords(
      Map<TopicPartition, OffsetAndMetadata> committable,
      Map<TopicPartition, OffsetAndMetadata> consumed) {
    assertThat(committable.keySet()).isEqualTo(consumed.keySet());
    Set<String> stored = storedIds();
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committable.entrySet()) {
      TopicPartition tp = e.getKey();
      long offset = e.getValue().offset();
      assertThat(offset)
          .as("committable offset of %s", tp)
          .isLessThanOrEqualTo(consumed.get(tp).offset());
      for (long o = 0; o < offset; o++) {
        assertThat(stored)
            .as("preCommit offered %s of %s, so record %s must be delivered", offset, tp, o)
            .contains(id(tp, o));
      }
    }
  }

  /**
   * The decisions of every put agree with the bound, and the buffer never held more than the bound
   * plus one batch.
   */
  private static void assertBackPressure(Run run) {
    double largestShare = run.largestShare();
    assertThat(run.pauseCalls).as("pause and resume calls").hasSizeGreaterThanOrEqualTo(2);
    for (int i = 0; i < run.pauseCalls.size(); i++) {
      RecordingSinkTaskContext.PauseCall call = run.pauseCalls.get(i);
      assertThat(call.pause())
          .as("call %s alternates, starting with a pause", i)
          .isEqualTo(i % 2 == 0);
      assertThat(call.partitions())
          .as("call %s covers the assignment", i)
          .isEqualTo(Set.copyOf(PARTITIONS));
    }
    for (int i = 0; i < run.puts.size(); i++) {
      Put p = run.puts.get(i);
      String put = "put " + i + " " + p;
      assertThat(p.took).as("%s returned promptly", put).isLessThan(PUT_BOUND);
      assertThat(p.fillAfter)
          .as("%s held at most the bound plus one batch", put)
          .isLessThan(1 + largestShare + EPSILON);
      assertThat(p.calls).as("%s made at most one call", put).hasSizeLessThanOrEqualTo(1);
      boolean paused = !p.calls.isEmpty() && p.calls.get(0).pause();
      boolean resumed = !p.calls.isEmpty() && !p.calls.get(0).pause();
      if (p.pausedBefore) {
        assertThat(p.batch).as("%s got no records while paused", put).isZero();
        assertThat(paused).as("%s did not pause again", put).isFalse();
        if (resumed) {
          assertThat(p.fillAfter)
              .as("%s resumed at half the bound", put)
              .isLessThanOrEqualTo(0.5 + EPSILON);
        } else {
          assertThat(p.fillBefore)
              .as("%s stayed paused above half the bound", put)
              .isGreaterThan(0.5);
        }
      } else {
        assertThat(resumed).as("%s did not resume what was not paused", put).isFalse();
        if (paused) {
          assertThat(p.fillBefore + run.share(p))
              .as("%s paused at the bound, not before", put)
              .isGreaterThanOrEqualTo(1 - EPSILON);
        } else {
          assertThat(p.fillAfter)
              .as("%s did not pause, so it was below the bound", put)
              .isLessThan(1);
        }
      }
    }
  }

  private static void assertEveryRecordStoredOnce(Run run) {
    Set<String> expected = new HashSet<>();
    for (TopicPartition tp : PARTITIONS) {
      for (long o = 0; o < RECORDS_PER_PARTITION; o++) {
        expected.add(id(tp, o));
      }
    }
    List<StoredEvent> stored = WORKOS.events(ORG);
    assertThat(stored).hasSize(expected.size());
    assertThat(storedIds()).isEqualTo(expected);
    assertThat(run.finalCommit)
        .containsOnlyKeys(PARTITIONS)
        .allSatisfy((tp, offset) -> assertThat(offset.offset()).isEqualTo(RECORDS_PER_PARTITION));
  }
}
