package io.auditpipe.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.auditpipe.connect.config.WorkOsSinkConnectorConfig;
import io.auditpipe.connect.dlq.DeadLetterReporter;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records renamed by a transform (as {@code RegexRouter} turns {@code rr.orders} into {@code
 * audit-orders}) are tracked and committed by the partition the consumer read them from: while
 * WorkOS answers slowly, {@code preCommit} never passes a record still in flight.
 */
class WorkOsSinkTaskOriginalCoordinatesTest {

  private static final String API_KEY = "sk_test_auditpipe_original";
  private static final String ORG = "org_original";
  private static final TopicPartition CONSUMED = new TopicPartition("rr.orders", 0);
  private static final String RENAMED = "audit-orders";
  private static final int RECORDS = 8;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final WorkOsEmulatorExtension WORKOS =
      WorkOsEmulatorExtension.builder()
          .apiKey(API_KEY)
          .organization(ORG, "original")
          .noRateLimit()
          .build();

  @Test
  void commitsByTheConsumedPartitionNotTheRenamedTopic() throws Exception {
    Map<String, String> props = new HashMap<>();
    props.put(WorkOsSinkConnectorConfig.API_KEY_CONFIG, API_KEY);
    props.put(WorkOsSinkConnectorConfig.BASE_URL_CONFIG, WORKOS.baseUrl().toString());
    props.put(WorkOsSinkConnectorConfig.RATE_LIMIT_CONFIG, "0");
    props.put(WorkOsSinkConnectorConfig.MAX_IN_FLIGHT_CONFIG, "2");
    props.put(WorkOsSinkConnectorConfig.RULES_CONFIG, TestRules.orders(RENAMED, "dlq"));
    WORKOS.faults(FaultSettings.NONE.withLatency(300, 300));
    try (RunningTask running = RunningTask.start(props, Set.of(CONSUMED))) {
      WorkOsSinkTask task = running.task();
      List<SinkRecord> records = new ArrayList<>();
      for (int offset = 0; offset < RECORDS; offset++) {
        records.add(renamed(offset));
      }
      task.put(records);
      // Connect proposes what it consumed, under the partition it consumed.
      Map<TopicPartition, OffsetAndMetadata> consumed =
          Map.of(CONSUMED, new OffsetAndMetadata(RECORDS));
      Map<TopicPartition, OffsetAndMetadata> early = task.preCommit(consumed);
      assertThat(early.get(CONSUMED).offset())
          .as("committed while at most 2 of %d events can be stored", RECORDS)
          .isLessThanOrEqualTo(WORKOS.events(ORG).size());

      Instant until = Instant.now().plus(WAIT);
      while (WORKOS.events(ORG).size() < RECORDS || running.metrics().value("buffer-records") > 0) {
        Map<TopicPartition, OffsetAndMetadata> commit = task.preCommit(consumed);
        long stored = WORKOS.events(ORG).size();
        assertThat(commit.get(CONSUMED).offset())
            .as("a commit never passes what WorkOS stored")
            .isLessThanOrEqualTo(stored);
        if (Instant.now().isAfter(until)) {
          fail("expected %d events stored within %s, found %d", RECORDS, WAIT, stored);
        }
        task.put(List.of());
        Thread.sleep(50);
      }
      assertThat(task.preCommit(consumed)).isEqualTo(consumed);
    } finally {
      WORKOS.faults(FaultSettings.NONE);
    }
  }

  @Test
  void namesRecordsByTheirConsumedCoordinates() {
    assertThat(DeadLetterReporter.coordinates(renamed(5))).isEqualTo("rr.orders-0@5");
  }

  /** A record consumed from {@link #CONSUMED} at {@code offset}, renamed to {@link #RENAMED}. */
  private static SinkRecord renamed(long offset) {
    SinkRecord consumed =
        new SinkRecord(
            CONSUMED.topic(),
            CONSUMED.partition(),
            Schema.OPTIONAL_STRING_SCHEMA,
            "k" + offset,
            Schema.OPTIONAL_BYTES_SCHEMA,
            TestRecords.orderPaid(ORG, "o" + offset, "1"),
            offset);
    // What RegexRouter does: newRecord with another topic keeps the original coordinates.
    return consumed.newRecord(
        RENAMED,
        consumed.kafkaPartition(),
        consumed.keySchema(),
        consumed.key(),
        consumed.valueSchema(),
        consumed.value(),
        consumed.timestamp());
  }
}
