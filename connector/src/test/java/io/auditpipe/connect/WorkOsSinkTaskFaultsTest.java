package io.auditpipe.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.connect.config.WorkOsSinkConnectorConfig;
import io.auditpipe.connect.dlq.DeadLetterException;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.FailureStage;
import io.auditpipe.emulator.state.StoredEvent;
import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task driven as a worker drives it, against the emulator: configuration faults fail it naming
 * the key and dead-letter nothing; bad tenants fail their own records only, at the lookup stage.
 */
class WorkOsSinkTaskFaultsTest {

  private static final String API_KEY = "sk_test_auditpipe_task_faults";
  private static final String TOPIC = "orders";
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

  @RegisterExtension
  static final WorkOsEmulatorExtension WORKOS =
      WorkOsEmulatorExtension.builder()
          .apiKey(API_KEY)
          .organization("org_acme", "acme")
          .organization("org_globex", "globex")
          .noRateLimit()
          .build();

  /** Maps {"tenant": …, "id": …} into one event for the tenant's organization. */
  private static final String BY_TENANT =
      """
      {"version": 1,
       "rules": [
         {"name": "by-tenant", "topics": ["orders"], "action": "order.paid",
          "organization_id": {"external_id": {"path": "/tenant"}},
          "actor": {"id": {"path": "/id"}, "type": "user"},
          "targets": [], "context": {"location": "10.0.0.1"},
          "idempotency_key": {"path": "/id"}}
       ]}
      """;

  private static Map<String, String> props(Map<String, String> overrides) {
    Map<String, String> props = new HashMap<>();
    props.put(WorkOsSinkConnectorConfig.API_KEY_CONFIG, API_KEY);
    props.put(WorkOsSinkConnectorConfig.BASE_URL_CONFIG, WORKOS.baseUrl().toString());
    props.put(WorkOsSinkConnectorConfig.RATE_LIMIT_CONFIG, "0");
    props.put(WorkOsSinkConnectorConfig.MAX_IN_FLIGHT_CONFIG, "4");
    props.put(WorkOsSinkConnectorConfig.RETRY_BACKOFF_MS_CONFIG, "20");
    props.put(WorkOsSinkConnectorConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "200");
    props.put(WorkOsSinkConnectorConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(WorkOsSinkConnectorConfig.RULES_CONFIG, BY_TENANT);
    props.putAll(overrides);
    return props;
  }

  private static SinkRecord tenantRecord(long offset, String tenant) {
    String json = "{\"tenant\":" + quote(tenant) + ",\"id\":\"e" + offset + "\"}";
    return TestRecords.record(TP, offset, json.getBytes(StandardCharsets.UTF_8));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  private static SinkRecord orderRecord(long offset) {
    return TestRecords.record(TP, offset, TestRecords.orderPaid("org_acme", "o" + offset, "10"));
  }

  /** Puts empty batches, as a worker polling paused partitions does, until the task fails. */
  private static ConnectException failureOf(WorkOsSinkTask task, List<SinkRecord> records)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<SinkRecord> batch = records;
    while (System.nanoTime() < deadline) {
      try {
        task.put(batch);
      } catch (ConnectException e) {
        return e;
      }
      batch = List.of();
      Thread.sleep(10);
    }
    throw new AssertionError("the task did not fail");
  }

  private static void assertNothingCommittedOrDeadLettered(RunningTask running, int records) {
    assertThat(running.context().reported()).as("dead-lettered").isEmpty();
    Map<TopicPartition, OffsetAndMetadata> consumed = Map.of(TP, new OffsetAndMetadata(records));
    Map<TopicPartition, OffsetAndMetadata> committed;
    try {
      committed = running.task().preCommit(consumed);
    } catch (ConnectException e) {
      return; // Connect commits nothing when preCommit throws
    }
    assertThat(committed.getOrDefault(TP, new OffsetAndMetadata(0)).offset()).isZero();
  }

  @Test
  void aWrongKeyFailsTheTaskNamingTheKeyAndDeadLettersNothing() throws Exception {
    String wrong = "sk_test_not_the_right_key";
    Map<String, String> orders =
        props(
            Map.of(
                WorkOsSinkConnectorConfig.API_KEY_CONFIG,
                wrong,
                WorkOsSinkConnectorConfig.RULES_CONFIG,
                TestRules.orders(TOPIC, "skip")));
    try (RunningTask running = RunningTask.start(orders, Set.of(TP))) {
      List<SinkRecord> records = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        records.add(orderRecord(i));
      }
      ConnectException e = failureOf(running.task(), records);
      assertThat(e.getMessage())
          .contains("workos.api.key")
          .contains("HTTP 401")
          .doesNotContain(wrong)
          .doesNotContain("Exception");
      assertNothingCommittedOrDeadLettered(running, 5);
    }
    // With organization lookups, the lookup meets the wrong key first: the same.
    try (RunningTask running =
        RunningTask.start(
            props(Map.of(WorkOsSinkConnectorConfig.API_KEY_CONFIG, wrong)), Set.of(TP))) {
      ConnectException e = failureOf(running.task(), List.of(tenantRecord(0, "acme")));
      assertThat(e.getMessage()).contains("workos.api.key").doesNotContain(wrong);
      assertNothingCommittedOrDeadLettered(running, 1);
    }
    assertThat(WORKOS.events()).isEmpty();
  }

  @Test
  void aWrongBasePathFailsTheTaskNamingTheBaseUrlAndDeadLettersNothing() throws Exception {
    Map<String, String> orders =
        props(
            Map.of(
                WorkOsSinkConnectorConfig.BASE_URL_CONFIG,
                WORKOS.baseUrl() + "/v1",
                WorkOsSinkConnectorConfig.RULES_CONFIG,
                TestRules.orders(TOPIC, "skip")));
    try (RunningTask running = RunningTask.start(orders, Set.of(TP))) {
      ConnectException e = failureOf(running.task(), List.of(orderRecord(0), orderRecord(1)));
      assertThat(e.getMessage()).contains("workos.base.url").contains("HTTP 404");
      assertNothingCommittedOrDeadLettered(running, 2);
    }
    try (RunningTask running =
        RunningTask.start(
            props(Map.of(WorkOsSinkConnectorConfig.BASE_URL_CONFIG, WORKOS.baseUrl() + "/v1")),
            Set.of(TP))) {
      ConnectException e = failureOf(running.task(), List.of(tenantRecord(0, "acme")));
      assertThat(e.getMessage())
          .contains("workos.base.url")
          .contains("/v1/organizations/external_id/");
      assertNothingCommittedOrDeadLettered(running, 1);
    }
  }

  @Test
  void badTenantsAreDeadLetteredOnceEachAndEveryOtherRecordIsDelivered() throws Exception {
    List<String> tenants =
        List.of(
            "acme",
            "acme\n",
            "globex",
            "a/b",
            "acme",
            "",
            "globex",
            "x".repeat(300),
            "acme",
            "nobody",
            "globex");
    Set<String> bad = Set.of("acme\n", "a/b", "", "x".repeat(300), "nobody");
    List<SinkRecord> records = new ArrayList<>();
    for (int i = 0; i < tenants.size(); i++) {
      records.add(tenantRecord(i, tenants.get(i)));
    }
    List<RecordingSinkTaskContext.Reported> reported;
    try (RunningTask running = RunningTask.start(props(Map.of()), Set.of(TP))) {
      WorkOsSinkTask task = running.task();
      task.put(records);
      Map<TopicPartition, OffsetAndMetadata> consumed =
          Map.of(TP, new OffsetAndMetadata(records.size()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!committedAll(task.preCommit(consumed), records.size())) {
        assertThat(System.nanoTime())
            .as(
                "all records resolved in time: stored %s, reported %s, committed %s",
                WORKOS.events().size(),
                running.context().reported().size(),
                task.preCommit(consumed))
            .isLessThan(deadline);
        task.put(List.of());
        Thread.sleep(10);
      }
      assertThat(running.metrics().value("workos-available")).isEqualTo(1.0);
      assertThat(running.metrics().value("oldest-undelivered-record-age-ms")).isZero();
      // The task has not failed: every put and preCommit returned.
      reported = running.context().reported();
    }
    Map<Long, DeadLetter> deadLetters = new HashMap<>();
    for (RecordingSinkTaskContext.Reported r : reported) {
      deadLetters.put(r.record().kafkaOffset(), ((DeadLetterException) r.error()).deadLetter());
    }
    assertThat(reported).as("each bad record once").hasSize(bad.size());
    for (int i = 0; i < tenants.size(); i++) {
      String tenant = tenants.get(i);
      if (!bad.contains(tenant)) {
        assertThat(deadLetters).doesNotContainKey((long) i);
        continue;
      }
      DeadLetter dl = deadLetters.get((long) i);
      assertThat(dl).as("tenant %s", quote(tenant)).isNotNull();
      if (tenant.isEmpty()) {
        // No request can name an empty external id: the record's mapping fails.
        assertThat(dl.stage()).isEqualTo(FailureStage.MAP);
        assertThat(dl.reason()).contains("non-empty external id");
      } else {
        assertThat(dl.stage()).as("tenant %s", quote(tenant)).isEqualTo(FailureStage.LOOKUP);
        assertThat(dl.status()).as("tenant %s", quote(tenant)).isPresent();
        assertThat(dl.status().getAsInt()).isBetween(400, 499);
      }
    }
    Map<String, String> stored =
        WORKOS.events().stream()
            .collect(Collectors.toMap(e -> e.event().actor().id(), StoredEvent::organizationId));
    Map<String, String> expected = new HashMap<>();
    for (int i = 0; i < tenants.size(); i++) {
      if (!bad.contains(tenants.get(i))) {
        expected.put("e" + i, "org_" + tenants.get(i));
      }
    }
    assertThat(stored).isEqualTo(expected);
  }

  private static boolean committedAll(
      Map<TopicPartition, OffsetAndMetadata> committed, int records) {
    return committed.containsKey(TP) && committed.get(TP).offset() == records;
  }
}
