package io.auditpipe.connect.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.connect.config.OutageBehavior;
import io.auditpipe.core.deadletter.FailureStage;
import io.auditpipe.core.model.Actor;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.Context;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.emulator.faults.FaultKind;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import io.auditpipe.workos.ApiKey;
import io.auditpipe.workos.AuditLogClient;
import io.auditpipe.workos.WorkOsClientConfig;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipeline against the emulator: an outage is waited out, a poison event is dead-lettered after
 * its timeout (on a clock the test moves), the opt-in bounds apply, and configuration faults stop
 * delivery without dead-lettering or resolving anything.
 */
class DeliveryPipelineTest {

  private static final String API_KEY = "sk_test_auditpipe_pipeline";
  private static final String ORG = "org_pipeline";
  private static final TopicPartition TP = new TopicPartition("orders", 0);
  private static final Duration PROBE = Duration.ofSeconds(1);
  private static final Duration PROBE_MAX = Duration.ofSeconds(8);

  @RegisterExtension
  static final WorkOsEmulatorExtension WORKOS =
      WorkOsEmulatorExtension.builder()
          .apiKey(API_KEY)
          .organization(ORG, "pipe")
          .noRateLimit()
          .build();

  private final MovableClock clock = new MovableClock();
  private final OffsetTracker tracker = new OffsetTracker();
  private DeliveryPipeline pipeline;

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static WorkOsClientConfig.Builder config() {
    return WorkOsClientConfig.builder(ApiKey.of(API_KEY))
        .baseUrl(WORKOS.baseUrl())
        .httpVersion(HttpClient.Version.HTTP_1_1)
        .requestsPerMinute(0)
        .maxInFlight(1)
        .capacityWait(Duration.ZERO)
        .maxAttempts(1)
        .baseBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(2))
        .requestTimeout(Duration.ofSeconds(5));
  }

  private DeliveryPipeline pipeline(WorkOsClientConfig config, OutagePolicy policy) {
    pipeline =
        new DeliveryPipeline(
            AuditLogClient.create(config),
            Optional.empty(),
            tracker,
            policy,
            PROBE,
            PROBE_MAX,
            clock);
    return pipeline;
  }

  private static OutagePolicy policy(OutageBehavior behavior) {
    return new OutagePolicy(behavior, Duration.ofMinutes(10), Duration.ofHours(6));
  }

  private void submit(int from, int to) {
    for (int i = from; i < to; i++) {
      SinkRecord record =
          new SinkRecord(TP.topic(), TP.partition(), null, null, Schema.BYTES_SCHEMA, null, i);
      MappedEvent event = new MappedEvent(event(ORG, "id-" + i), "key-" + i, "rule");
      pipeline.submit(record, tracker.track(TP, i, 10), List.of(event));
    }
  }

  private static AuditEvent event(String org, String actor) {
    return new AuditEvent(
        org,
        "order.paid",
        Instant.parse("2026-11-23T10:15:30.123Z"),
        OptionalInt.empty(),
        new Actor(actor, "user", Optional.empty(), Metadata.empty()),
        List.of(),
        new Context("203.0.113.7", Optional.empty()),
        Metadata.empty());
  }

  /** Drains until {@code done}, as a task's puts do; a deadline only against hanging. */
  private void drainUntil(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("still waiting").isLessThan(deadline);
      pipeline.drain();
      Thread.sleep(5);
    }
  }

  private long committed(long consumed) {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        tracker.committable(Map.of(TP, new OffsetAndMetadata(consumed)), Set.of(TP));
    return offsets.containsKey(TP) ? offsets.get(TP).offset() : 0;
  }

  private static long requests() {
    return WORKOS.counters().requestsByStatus().values().stream().mapToLong(Long::longValue).sum();
  }

  private static Map<String, Long> storedByKey() {
    return WORKOS.events(ORG).stream()
        .collect(Collectors.groupingBy(e -> e.idempotencyKey().orElse("?"), Collectors.counting()));
  }

  @Test
  void anOutageIsWaitedOutWithoutDeadLettersOrFailureAndDeliveryResumesByItself() throws Exception {
    WORKOS.faults(FaultSettings.NONE.withStatusRate(503, 1.0));
    pipeline(config().maxInFlight(2).build(), OutagePolicy.WAIT);
    submit(0, 10);
    drainUntil(() -> !pipeline.availability().available());
    long sentWhenOpened = requests();

    // Open: nothing is sent until a probe is due, however often the task drains.
    for (int i = 0; i < 20; i++) {
      pipeline.drain();
      Thread.sleep(5);
    }
    assertThat(requests()).isLessThanOrEqualTo(sentWhenOpened + 2);
    clock.advance(Duration.ofHours(30));
    assertThat(pipeline.fatal()).isEmpty();
    assertThat(pipeline.takeFailed()).isEmpty();
    assertThat(committed(10)).isZero();
    assertThat(pipeline.oldestUndeliveredAge()).isGreaterThanOrEqualTo(Duration.ofHours(30));

    WORKOS.faults(FaultSettings.NONE);
    drainUntil(() -> tracker.unresolvedRecords() == 0);
    assertThat(pipeline.availability().available()).isTrue();
    assertThat(pipeline.availability().outages()).isEqualTo(1);
    assertThat(pipeline.availability().unavailableTotal())
        .isGreaterThanOrEqualTo(Duration.ofHours(30));
    assertThat(pipeline.takeFailed()).isEmpty();
    assertThat(pipeline.fatal()).isEmpty();
    assertThat(committed(10)).isEqualTo(10);
    assertThat(storedByKey()).hasSize(10).allSatisfy((k, n) -> assertThat(n).isOne());
    assertThat(pipeline.oldestUndeliveredAge()).isZero();
  }

  @Test
  void aProbeThatFailsWaitsLongerBeforeTheNext() throws Exception {
    WORKOS.faults(FaultSettings.NONE.withStatusRate(503, 1.0));
    pipeline(config().build(), OutagePolicy.WAIT);
    submit(0, 3);
    drainUntil(() -> !pipeline.availability().available());
    // The emulator counts an answer once it is written: let the last count settle.
    Thread.sleep(200);
    long before = requests();
    clock.advance(PROBE);
    drainUntil(
        () ->
            requests() > before
                && pipeline.availability().state() == WorkOsAvailability.State.UNAVAILABLE);
    Thread.sleep(200);
    assertThat(requests()).as("one probe").isEqualTo(before + 1);
    clock.advance(PROBE);
    for (int i = 0; i < 20; i++) {
      pipeline.drain();
      Thread.sleep(5);
    }
    assertThat(requests()).as("the second wait is 2s").isEqualTo(before + 1);
    clock.advance(PROBE);
    drainUntil(() -> requests() > before + 1);
  }

  @Test
  void anEventThatKeepsFailingAloneIsDeadLetteredAfterThePoisonTimeout() throws Exception {
    // One slot: the order of requests is the queue's. The event at offset 0 fails; the others are
    // delivered, and it is tried again behind them and fails again. Every clock read moves the
    // clock 7 hours on, so its second failure comes after the 6-hour timeout.
    pipeline(config().build(), OutagePolicy.WAIT);
    List<FaultKind> script = new ArrayList<>();
    script.add(FaultKind.STATUS_503);
    for (int i = 0; i < 4; i++) {
      script.add(FaultKind.LATENCY);
    }
    script.add(FaultKind.STATUS_503);
    WORKOS.faults(FaultSettings.NONE.withNext(script.toArray(FaultKind[]::new)));
    clock.tick(Duration.ofHours(7));
    submit(0, 5);
    List<DeliveryPipeline.Failed> failed = new ArrayList<>();
    drainUntil(
        () -> {
          failed.addAll(pipeline.takeFailed());
          return !failed.isEmpty() && tracker.unresolvedRecords() == 1;
        });
    assertThat(failed)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.record().kafkaOffset()).isZero();
              assertThat(f.deadLetter().stage()).isEqualTo(FailureStage.DELIVER);
              assertThat(f.deadLetter().status()).hasValue(503);
              assertThat(f.deadLetter().reason())
                  .contains("kept failing transiently for ")
                  .contains("auditpipe.poison.event.timeout.ms")
                  .contains("HTTP 503");
            });
    assertThat(pipeline.availability().available()).isTrue();
    assertThat(storedByKey()).containsOnlyKeys("key-1", "key-2", "key-3", "key-4");
  }

  @Test
  void timeInAnOutageDoesNotCountTowardsThePoisonTimeout() throws Exception {
    WORKOS.faults(FaultSettings.NONE.withStatusRate(503, 1.0));
    pipeline(config().build(), OutagePolicy.WAIT);
    submit(0, 2);
    drainUntil(() -> !pipeline.availability().available());
    clock.advance(Duration.ofHours(7));
    WORKOS.faults(FaultSettings.NONE);
    drainUntil(() -> tracker.unresolvedRecords() == 0);
    assertThat(pipeline.takeFailed()).isEmpty();
    assertThat(storedByKey()).containsOnlyKeys("key-0", "key-1");
  }

  @Test
  void underFailTheTaskFailsOnceTheOutageOutlastsItsBound() throws Exception {
    WORKOS.faults(FaultSettings.NONE.withStatusRate(503, 1.0));
    pipeline(config().build(), policy(OutageBehavior.FAIL));
    submit(0, 3);
    drainUntil(() -> !pipeline.availability().available());
    clock.advance(Duration.ofMinutes(9));
    pipeline.drain();
    assertThat(pipeline.fatal()).isEmpty();
    clock.advance(Duration.ofMinutes(2));
    pipeline.drain();
    assertThat(pipeline.fatal())
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .startsWith("WorkOS unavailable since ")
                    .contains("last cause HTTP 503")
                    .contains("auditpipe.outage.behavior=fail"));
    assertThat(pipeline.takeFailed()).isEmpty();
    assertThat(committed(3)).isZero();
  }

  @Test
  void underDlqTheWaitingRecordsAreDeadLetteredOnceTheOutageOutlastsItsBound() throws Exception {
    WORKOS.faults(FaultSettings.NONE.withStatusRate(503, 1.0));
    pipeline(config().build(), policy(OutageBehavior.DLQ));
    submit(0, 3);
    drainUntil(() -> !pipeline.availability().available());
    clock.advance(Duration.ofMinutes(11));
    List<DeliveryPipeline.Failed> failed = new ArrayList<>();
    drainUntil(
        () -> {
          failed.addAll(pipeline.takeFailed());
          return failed.size() == 3;
        });
    assertThat(failed)
        .allSatisfy(
            f ->
                assertThat(f.deadLetter().reason())
                    .startsWith("WorkOS unavailable since ")
                    .contains("auditpipe.outage.behavior=dlq"));
    assertThat(pipeline.fatal()).isEmpty();
  }

  @Test
  void aWrongKeyStopsDeliveryNamingTheKeyAndResolvesNothing() throws Exception {
    String wrong = "sk_test_wrong_key_for_pipeline";
    pipeline(config().maxInFlight(4).apiKey(ApiKey.of(wrong)).build(), OutagePolicy.WAIT);
    submit(0, 6);
    drainUntil(() -> pipeline.fatal().isPresent());
    Thread.sleep(200);
    pipeline.drain();
    assertThat(pipeline.fatal().get())
        .contains("workos.api.key")
        .contains("HTTP 401")
        .contains("Nothing was dead-lettered")
        .doesNotContain(wrong);
    assertThat(pipeline.takeFailed()).isEmpty();
    assertThat(tracker.unresolvedRecords()).isEqualTo(6);
    assertThat(committed(6)).isZero();
    assertThat(requests()).isLessThanOrEqualTo(4);
  }

  @Test
  void aBasePathThatLeadsNowhereStopsDeliveryNamingTheBaseUrl() throws Exception {
    pipeline(config().baseUrl(WORKOS.baseUrl() + "/v1").build(), OutagePolicy.WAIT);
    submit(0, 3);
    drainUntil(() -> pipeline.fatal().isPresent());
    assertThat(pipeline.fatal().get())
        .contains("workos.base.url")
        .contains("HTTP 404")
        .contains("/v1/audit_logs/events");
    assertThat(pipeline.takeFailed()).isEmpty();
    assertThat(committed(3)).isZero();
  }

  @Test
  void anUnknownOrganizationIsTheEventsOwnFault() throws Exception {
    pipeline(config().build(), OutagePolicy.WAIT);
    SinkRecord record =
        new SinkRecord(TP.topic(), TP.partition(), null, null, Schema.BYTES_SCHEMA, null, 0);
    pipeline.submit(
        record,
        tracker.track(TP, 0, 10),
        List.of(new MappedEvent(event("org_nobody", "a"), "key-x", "rule")));
    List<DeliveryPipeline.Failed> failed = new ArrayList<>();
    drainUntil(
        () -> {
          failed.addAll(pipeline.takeFailed());
          return !failed.isEmpty();
        });
    assertThat(failed.get(0).deadLetter().status()).hasValue(404);
    assertThat(pipeline.fatal()).isEmpty();
  }

  /** A clock the test moves, or that moves on each read. */
  static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-12-01T00:00:00Z");
    private Duration tick = Duration.ZERO;

    synchronized void advance(Duration d) {
      now = now.plus(d);
    }

    /** From now on, each read moves the clock on by {@code d}. */
    synchronized void tick(Duration d) {
      tick = d;
    }

    @Override
    public synchronized Instant instant() {
      Instant t = now;
      now = now.plus(tick);
      return t;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
