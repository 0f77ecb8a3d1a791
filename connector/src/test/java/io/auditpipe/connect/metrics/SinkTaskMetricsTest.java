package io.auditpipe.connect.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import io.auditpipe.connect.RecordingSinkTaskContext;
import io.auditpipe.connect.RunningTask;
import io.auditpipe.connect.TaskPluginMetrics;
import io.auditpipe.connect.TestRecords;
import io.auditpipe.connect.TestRules;
import io.auditpipe.connect.WorkOsSinkTask;
import io.auditpipe.connect.config.WorkOsSinkConnectorConfig;
import io.auditpipe.connect.dlq.DeadLetterException;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.FailureStage;
import io.auditpipe.emulator.faults.FaultKind;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import io.auditpipe.workos.DeliveryOutcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SinkTaskMetrics} bound to a real {@link Metrics} registry through Kafka's own plugin
 * metrics ({@code PluginMetricsImpl}, what Connect hands a task), read back by name and tags.
 */
class SinkTaskMetricsTest {

  private static final String API_KEY = "sk_test_auditpipe_metrics";
  private static final String ORG = "org_metrics";
  private static final String RESTART_ORG = "org_restart";
  private static final TopicPartition TP = new TopicPartition("orders", 0);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long LATENCY_MS = 1_500;

  @RegisterExtension
  static final WorkOsEmulatorExtension WORKOS =
      WorkOsEmulatorExtension.builder()
          .apiKey(API_KEY)
          .organization(ORG, "metrics")
          .organization(RESTART_ORG, "restart")
          .noRateLimit()
          .schemaValidation(true)
          .build();

  private static final SinkTaskMetrics.Gauges IDLE =
      new SinkTaskMetrics.Gauges() {
        @Override
        public int inFlight() {
          return 0;
        }

        @Override
        public int bufferedRecords() {
          return 0;
        }

        @Override
        public double fillRatio() {
          return 0;
        }
      };

  private static final List<String> COUNTERS =
      List.of(
          "records-mapped",
          "records-skipped",
          "events-delivered",
          "events-rejected",
          "requests-retried",
          "requests-throttled",
          "records-dead-lettered");

  /** Two tasks of one worker share its registry; each must count and unregister alone. */
  @Test
  void tasksOfOneWorkerCountApartAndStopApart() {
    try (Metrics registry = new Metrics();
        TaskPluginMetrics task0 = new TaskPluginMetrics(registry, "audit", 0);
        TaskPluginMetrics task1 = new TaskPluginMetrics(registry, "audit", 1)) {
      SinkTaskMetrics metrics0 = SinkTaskMetrics.register(task0.pluginMetrics(), () -> IDLE);
      SinkTaskMetrics metrics1 = SinkTaskMetrics.register(task1.pluginMetrics(), () -> IDLE);

      metrics0.recordMapped(1);
      metrics0.recordSkipped(1);
      metrics0.recordDeadLettered();
      metrics0.outcome(
          new DeliveryOutcome.Delivered(201, Optional.empty(), 1), Duration.ofMillis(5));
      metrics0.outcome(
          new DeliveryOutcome.Rejected(400, Optional.empty(), "no", List.of(), Optional.empty(), 1),
          Duration.ofMillis(5));
      metrics0.retryScheduled(2, Duration.ofMillis(10), "503");
      metrics0.throttled(Duration.ofSeconds(1), 10);
      metrics1.recordMapped(1);

      for (String counter : COUNTERS) {
        assertThat(task0.value(counter + "-total")).as("task 0 " + counter).isEqualTo(1);
      }
      assertThat(task1.value("records-mapped-total")).as("task 1 records-mapped").isEqualTo(1);
      for (String counter : COUNTERS.subList(1, COUNTERS.size())) {
        assertThat(task1.value(counter + "-total")).as("task 1 " + counter).isZero();
      }

      task0.close();
      assertThat(task0.has("records-mapped-total")).as("task 0's metrics removed").isFalse();
      metrics1.recordMapped(3);
      metrics1.recordMapped(0);
      assertThat(task1.value("records-mapped-total"))
          .as("task 1 still counts after task 0 stopped, a batch at once")
          .isEqualTo(4);
      assertThat(metrics1.mapped()).isEqualTo(4);
    }
  }

  /**
   * A worker can start a task's new instance, with a new {@code PluginMetrics} of the same tags,
   * before the old instance's {@code stop()} returned. The new one starts cleanly and keeps its
   * metrics while the old one stops and the worker closes the old {@code PluginMetrics}.
   */
  @Test
  void aNewInstanceStartsWhileTheOldOneIsStillStopping() throws Exception {
    Map<String, String> props = taskProps();
    try (Metrics registry = new Metrics();
        TaskPluginMetrics oldMetrics = new TaskPluginMetrics(registry, "audit", 0);
        TaskPluginMetrics newMetrics = new TaskPluginMetrics(registry, "audit", 0)) {
      WORKOS.faults(FaultSettings.NONE.withLatency(500, 500));
      WorkOsSinkTask oldTask = new WorkOsSinkTask();
      oldTask.initialize(
          new RecordingSinkTaskContext(props, Set.of(TP), oldMetrics.pluginMetrics()));
      oldTask.start(props);
      oldTask.put(List.of(restart(100), restart(101)));
      assertThat(oldMetrics.value("records-mapped-total")).isEqualTo(2);

      // The old instance is busy (events in flight) when the new one starts.
      WorkOsSinkTask newTask = new WorkOsSinkTask();
      RecordingSinkTaskContext newContext =
          new RecordingSinkTaskContext(props, Set.of(TP), newMetrics.pluginMetrics());
      newTask.initialize(newContext);
      Thread stopping =
          new Thread(
              () -> {
                oldTask.stop();
                oldMetrics.close();
              },
              "old-instance-stopping");
      try {
        newTask.start(props);
        stopping.start();
        newTask.put(List.of(restart(102)));
        stopping.join(WAIT.toMillis());
        assertThat(stopping.isAlive()).as("the old instance stopped").isFalse();

        assertThat(newMetrics.value("records-mapped-total"))
            .as("the new instance's counter, after the old instance stopped")
            .isEqualTo(1);
        assertThat(newMetrics.has("in-flight")).isTrue();
        assertThat(newMetrics.has("request-latency-max")).isTrue();
        newTask.put(List.of(restart(103)));
        assertThat(newMetrics.value("records-mapped-total")).isEqualTo(2);
      } finally {
        newTask.stop();
        WORKOS.faults(FaultSettings.NONE);
      }
      assertThat(newMetrics.has("records-mapped-total")).as("removed by its own stop").isFalse();
    }
  }

  /** The same overlap on one {@code PluginMetrics}: registering again and closing in any order. */
  @Test
  void registeringTheSameTaskTwiceTakesTheMetricsOver() {
    try (Metrics registry = new Metrics();
        TaskPluginMetrics task0 = new TaskPluginMetrics(registry, "audit", 0)) {
      SinkTaskMetrics older = SinkTaskMetrics.register(task0.pluginMetrics(), () -> IDLE);
      older.recordMapped(5);
      SinkTaskMetrics newer = SinkTaskMetrics.register(task0.pluginMetrics(), () -> IDLE);
      newer.recordMapped(1);
      older.recordMapped(7);
      older.close();
      older.close();
      assertThat(task0.value("records-mapped-total")).isEqualTo(1);
      assertThat(task0.has("buffer-records")).isTrue();
      newer.close();
      assertThat(task0.has("records-mapped-total")).isFalse();
      assertThat(task0.has("buffer-records")).isFalse();
      assertThat(older.mapped()).as("internal counters keep counting").isEqualTo(12);
    }
  }

  private static Map<String, String> taskProps() {
    Map<String, String> props = new HashMap<>();
    props.put(WorkOsSinkConnectorConfig.API_KEY_CONFIG, API_KEY);
    props.put(WorkOsSinkConnectorConfig.BASE_URL_CONFIG, WORKOS.baseUrl().toString());
    props.put(WorkOsSinkConnectorConfig.RATE_LIMIT_CONFIG, "0");
    props.put(WorkOsSinkConnectorConfig.MAX_IN_FLIGHT_CONFIG, "4");
    props.put(WorkOsSinkConnectorConfig.RULES_CONFIG, TestRules.orders(TP.topic(), "skip"));
    return props;
  }

  /**
   * A task against the emulator, phase by phase: latency (in flight, buffer, request latency),
   * scripted 503 and 429 (retried, throttled), then a skip, a 400, a 404 and two records that fail
   * before delivery (dead-lettered).
   */
  @Test
  void followsWhatARealTaskDoes() throws Exception {
    Map<String, String> props = new HashMap<>();
    props.put(WorkOsSinkConnectorConfig.API_KEY_CONFIG, API_KEY);
    props.put(WorkOsSinkConnectorConfig.BASE_URL_CONFIG, WORKOS.baseUrl().toString());
    props.put(WorkOsSinkConnectorConfig.RATE_LIMIT_CONFIG, "0");
    props.put(WorkOsSinkConnectorConfig.MAX_IN_FLIGHT_CONFIG, "4");
    props.put(WorkOsSinkConnectorConfig.RETRY_BACKOFF_MS_CONFIG, "20");
    props.put(WorkOsSinkConnectorConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "200");
    props.put(WorkOsSinkConnectorConfig.BUFFER_MAX_RECORDS_CONFIG, "10");
    props.put(WorkOsSinkConnectorConfig.RULES_CONFIG, TestRules.orders(TP.topic(), "skip"));

    try (RunningTask running = RunningTask.start(props, Set.of(TP))) {
      WorkOsSinkTask task = running.task();
      RecordingSinkTaskContext context = running.context();
      TaskPluginMetrics metrics = running.metrics();
      // Latency: three events stay in flight, and their records in the buffer.
      WORKOS.faults(FaultSettings.NONE.withLatency(LATENCY_MS, LATENCY_MS));
      task.put(List.of(good(0), good(1), good(2)));
      assertThat(metrics.value("records-mapped-total")).isEqualTo(3);
      assertThat(metrics.value("records-mapped-rate")).isPositive();
      assertThat(metrics.value("in-flight")).isEqualTo(3);
      assertThat(metrics.value("buffer-records")).isEqualTo(3);
      assertThat(metrics.value("buffer-fill-ratio")).isEqualTo(0.3);
      assertThat(metrics.value("events-delivered-total")).isZero();

      pollUntil(task, "3 events delivered", () -> metrics.value("buffer-records") == 0);
      assertThat(metrics.value("events-delivered-total")).isEqualTo(3);
      assertThat(metrics.value("events-delivered-rate")).isPositive();
      assertThat(metrics.value("in-flight")).isZero();
      assertThat(metrics.value("buffer-fill-ratio")).isZero();
      assertThat(metrics.value("request-latency-max")).isGreaterThanOrEqualTo(LATENCY_MS);
      assertThat(metrics.value("request-latency-avg")).isGreaterThanOrEqualTo(LATENCY_MS);
      assertThat(metrics.value("requests-retried-total")).isZero();
      assertThat(metrics.value("requests-throttled-total")).isZero();

      // A 503, then a 429 (Retry-After: 1), then delivered.
      WORKOS.faults(FaultSettings.NONE.withNext(FaultKind.STATUS_503, FaultKind.THROTTLE_429));
      task.put(List.of(good(3)));
      pollUntil(task, "the retried event delivered", () -> metrics.value("buffer-records") == 0);
      assertThat(metrics.value("events-delivered-total")).isEqualTo(4);
      assertThat(metrics.value("requests-retried-total")).isEqualTo(2);
      assertThat(metrics.value("requests-throttled-total")).isEqualTo(1);
      assertThat(metrics.value("events-rejected-total")).isZero();

      // A skip, a convert failure, a 400 (schema), a 404 (unknown organization), a metadata
      // string over WorkOS's 500 characters and a good record. The long string would be a 422, but
      // the task checks WorkOS's limits before sending (with the validator the emulator uses), so
      // it is dead-lettered at validate and never counted as rejected: no record this task sends
      // can draw a 422.
      WORKOS.faults(FaultSettings.NONE);
      requireIntegerTotal("order.paid");
      task.put(
          List.of(
              TestRecords.record(
                  TP, 4, utf8("{\"type\":\"user.created\",\"org\":\"" + ORG + "\"}")),
              TestRecords.record(TP, 5, utf8("{\"type\": \"order.paid\", \"org\": ")),
              TestRecords.record(TP, 6, TestRecords.orderPaid(ORG, "r6", "\"not-a-number\"")),
              TestRecords.record(TP, 7, TestRecords.orderPaid("org_unknown", "r7", "1")),
              TestRecords.record(
                  TP, 8, TestRecords.orderPaid(ORG, "r8", "\"" + "x".repeat(501) + "\"")),
              good(9)));
      pollUntil(task, "every record resolved", () -> metrics.value("buffer-records") == 0);
      assertThat(metrics.value("records-skipped-total")).isEqualTo(1);
      assertThat(metrics.value("records-skipped-rate")).isPositive();
      assertThat(metrics.value("records-mapped-total")).isEqualTo(7);
      assertThat(metrics.value("events-rejected-total")).isEqualTo(2);
      assertThat(metrics.value("events-rejected-rate")).isPositive();
      assertThat(metrics.value("records-dead-lettered-total")).isEqualTo(4);
      assertThat(metrics.value("records-dead-lettered-rate")).isPositive();
      assertThat(metrics.value("events-delivered-total")).isEqualTo(5);
      assertThat(context.reported())
          .extracting(r -> r.record().kafkaOffset(), r -> failure(r.error()))
          .containsExactlyInAnyOrder(
              tuple(5L, FailureStage.CONVERT + " -"),
              tuple(6L, FailureStage.DELIVER + " 400"),
              tuple(7L, FailureStage.DELIVER + " 404"),
              tuple(8L, FailureStage.VALIDATE + " -"));
      assertThat(task.preCommit(Map.of(TP, new OffsetAndMetadata(10))))
          .containsEntry(TP, new OffsetAndMetadata(10));
      assertThat(WORKOS.events(ORG)).hasSize(5);
    }
  }

  private static SinkRecord restart(long offset) {
    return TestRecords.record(TP, offset, TestRecords.orderPaid(RESTART_ORG, "s" + offset, "1"));
  }

  private static SinkRecord good(long offset) {
    return TestRecords.record(TP, offset, TestRecords.orderPaid(ORG, "r" + offset, "1"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The stage and WorkOS status a dead-lettered record was reported with. */
  private static String failure(Throwable error) {
    assertThat(error).isInstanceOf(DeadLetterException.class);
    DeadLetter deadLetter = ((DeadLetterException) error).deadLetter();
    OptionalInt status = deadLetter.status();
    return deadLetter.stage() + " " + (status.isPresent() ? "" + status.getAsInt() : "-");
  }

  /** Polls the task as an idle worker does until {@code done}; fails after {@link #WAIT}. */
  private static void pollUntil(WorkOsSinkTask task, String what, BooleanSupplier done)
      throws InterruptedException {
    Instant until = Instant.now().plus(WAIT);
    while (true) {
      task.put(List.of());
      if (done.getAsBoolean()) {
        return;
      }
      if (Instant.now().isAfter(until)) {
        fail("timed out after %s waiting for %s", WAIT, what);
      }
      Thread.sleep(20);
    }
  }

  /**
   * Gives {@code action} a schema (through the API, as users do) whose metadata total is an
   * integer.
   */
  private static void requireIntegerTotal(String action) throws Exception {
    String body =
        "{\"targets\":[{\"type\":\"order\"}],\"metadata\":{\"type\":\"object\","
            + "\"properties\":{\"total\":{\"type\":\"integer\"}}}}";
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(WORKOS.baseUrl() + "/audit_logs/actions/" + action + "/schemas"))
                    .header("Authorization", "Bearer " + API_KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("creating the schema: %s", response.body()).isEqualTo(201);
  }
}
