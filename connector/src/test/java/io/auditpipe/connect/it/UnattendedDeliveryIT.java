package io.auditpipe.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.emulator.WorkOsEmulator;
import io.auditpipe.emulator.faults.FaultKind;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.emulator.state.RateLimit;
import io.auditpipe.testkit.connect.ConnectRest;
import io.auditpipe.testkit.connect.ConnectWorkerProcess;
import io.auditpipe.testkit.connect.TaskStateRecorder;
import io.auditpipe.testkit.kafka.KafkaBroker;
import io.auditpipe.testkit.pipeline.DeliveryLedger;
import io.auditpipe.testkit.pipeline.OrderEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, test 1: nobody watching. A Connect worker in its own JVM loads the plugin archive from
 * {@code plugin.path} and delivers 20,000 events over two tasks (four partitions) to the emulator
 * as WorkOS, through, in sequence: WorkOS faults (5xx, 429 bursts, connection resets before and
 * after storing, latency), WorkOS refusing connections for two minutes, the worker killed with
 * {@code kill -9} and started again, and the broker restarted. Every event must be stored exactly
 * once (counted by idempotency key; replays answered from the idempotency cache are counted apart),
 * nothing dead-lettered, no task ever {@code FAILED} (the status is polled every 500 ms throughout)
 * and no restart requested over REST.
 *
 * <p>The connector runs with its default delivery settings: only WorkOS's address, key, rate limit
 * and the rules are configured, and a dead-letter topic so that anything dead-lettered shows.
 * System properties: {@code auditpipe.it.outage.seconds} (default 120) sets the outage's length;
 * {@code auditpipe.it.connector.overrides} ({@code key=value;key=value}, default none) adds
 * connector settings, for diagnosis only — the test proves the defaults.
 */
class UnattendedDeliveryIT {

  private static final String CONNECTOR = "unattended";
  private static final String TOPIC = "orders-unattended";
  private static final String DLQ = TOPIC + ".dlq";
  private static final int PARTITIONS = 4;
  private static final int TASKS = 2;

  /** Events of each phase: faults, outage, worker kill, broker restart. */
  private static final int PHASE_EVENTS = 5_000;

  private static final int FAULT_EVENTS = PHASE_EVENTS;
  private static final int TOTAL = 4 * PHASE_EVENTS;

  /**
   * A generous WorkOS limit so 20,000 events fit the time budget, configured on both sides as a
   * user configures their account's limit: 1,000 requests per second.
   */
  private static final int REQUESTS_PER_MINUTE = 60_000;

  private static final Duration OUTAGE =
      Duration.ofSeconds(Long.getLong("auditpipe.it.outage.seconds", 120));
  private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration STATUS_POLL = Duration.ofMillis(500);

  private WorkOsEmulator workos;
  private KafkaBroker broker;
  private OrderEvents events;
  private TaskStateRecorder states;
  private final long startNanos = System.nanoTime();
  private final StringBuilder timeline = new StringBuilder();

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void storesEveryEventOnceThroughFaultsOutageWorkerKillAndBrokerRestart() throws Exception {
    try (WorkOsEmulator emulator = startEmulatorOutsideEphemeralPorts();
        KafkaBroker kafka = KafkaBroker.start();
        ConnectWorkerProcess worker = startWorker(kafka)) {
      workos = emulator;
      broker = kafka;
      String org = "org_it_unattended";
      workos.addOrganization(org, "unattended", Optional.empty());
      events = new OrderEvents(TOPIC, org, "unattended");
      kafka.createTopic(TOPIC, PARTITIONS);
      mark("broker, emulator and worker up");

      ConnectRest.Answer created = worker.rest().putConnector(CONNECTOR, connectorConfig());
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      try (TaskStateRecorder recorder =
              TaskStateRecorder.start(worker.rest(), CONNECTOR, STATUS_POLL, startNanos);
          KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
        states = recorder;

        // 1. WorkOS faults while delivering.
        workos.faults(
            FaultSettings.NONE
                // One of each kind first, whatever the draws give, then random ones.
                .withNext(
                    FaultKind.STATUS_500,
                    FaultKind.RESET_BEFORE,
                    FaultKind.STATUS_502,
                    FaultKind.THROTTLE_429,
                    FaultKind.RESET_AFTER,
                    FaultKind.STATUS_503)
                .withSeed(12)
                .withStatusRate(500, 0.005)
                .withStatusRate(502, 0.005)
                .withStatusRate(503, 0.01)
                .withThrottleBursts(0.002, 3)
                .withResets(0.002, 0.002)
                .withLatency(0, 10));
        events.produce(producer, 0, FAULT_EVENTS);
        awaitStored(FAULT_EVENTS, PHASE_TIMEOUT, "delivery under faults");
        workos.faults(FaultSettings.NONE);
        mark("faults: " + FAULT_EVENTS + " stored, faults injected " + workos.counters().faults());

        // 2. WorkOS unreachable (connections refused) with events in flight and more arriving.
        int outageEnd = FAULT_EVENTS + PHASE_EVENTS;
        events.produce(producer, FAULT_EVENTS, FAULT_EVENTS + PHASE_EVENTS / 2);
        awaitStored(FAULT_EVENTS + PHASE_EVENTS / 8, PHASE_TIMEOUT, "delivery before the outage");
        workos.suspend();
        mark("WorkOS refusing connections for " + OUTAGE.toSeconds() + " s");
        events.produce(producer, FAULT_EVENTS + PHASE_EVENTS / 2, outageEnd);
        watchFor(OUTAGE, "the outage");
        workos.resume();
        mark("WorkOS back");
        awaitStored(outageEnd, PHASE_TIMEOUT, "delivery after the outage");
        mark("outage: " + outageEnd + " stored");

        // 3. The worker killed (kill -9) mid-stream and started again.
        int killEnd = outageEnd + PHASE_EVENTS;
        events.produce(producer, outageEnd, killEnd);
        awaitStored(outageEnd + PHASE_EVENTS / 4, PHASE_TIMEOUT, "delivery before the kill");
        worker.kill();
        mark("worker killed at " + workos.eventCount() + " stored");
        worker.restart();
        mark("worker restarted");
        awaitStored(killEnd, PHASE_TIMEOUT, "delivery after the worker's restart");
        mark("worker kill: " + killEnd + " stored");

        // 4. The broker restarted mid-stream.
        events.produce(producer, killEnd, TOTAL);
        awaitStored(
            killEnd + PHASE_EVENTS / 4, PHASE_TIMEOUT, "delivery before the broker restart");
        kafka.restart(Duration.ofSeconds(3));
        mark("broker restarted at " + workos.eventCount() + " stored");
        awaitStored(TOTAL, PHASE_TIMEOUT, "delivery after the broker restart");
        mark("broker restart: " + TOTAL + " stored");
        // A late duplicate or failure would show within a few more status polls.
        watchFor(Duration.ofSeconds(3), "the end");
      }

      DeliveryLedger ledger = DeliveryLedger.count(workos, events, TOTAL);
      long deadLettered = kafka.recordCount(DLQ);
      List<String> restartCalls = worker.restartRequestsLogged();
      mark(
          "done: "
              + ledger
              + ", dead-lettered "
              + deadLettered
              + ", restart calls "
              + restartCalls.size());
      System.out.println(summary());

      assertThat(states.failures()).as(summary()).isEmpty();
      assertThat(ledger.exactlyOnce()).as("every event stored exactly once: " + ledger).isTrue();
      assertThat(deadLettered).as("records in " + DLQ).isZero();
      assertThat(restartCalls).as("restart calls in the worker's request log").isEmpty();
      // The scenario itself happened: every kind of fault, and the kill seen by the status polls.
      for (FaultKind kind :
          List.of(
              FaultKind.STATUS_500,
              FaultKind.STATUS_502,
              FaultKind.STATUS_503,
              FaultKind.THROTTLE_429,
              FaultKind.RESET_BEFORE,
              FaultKind.RESET_AFTER,
              FaultKind.LATENCY)) {
        assertThat(workos.counters().faults(kind.code())).as(kind.code()).isPositive();
      }
      assertThat(states.unanswered()).as("status polls while the worker was down").isPositive();
    }
  }

  /**
   * The emulator on a port below the kernel's ephemeral range ({@code ip_local_port_range}, from
   * 32768 by default), so that nothing can take it during the outage: on a port the system picked,
   * a run failed to listen again after the outage ("Address already in use"), the port having been
   * reused meanwhile as the local end of an outgoing connection (the worker's own reconnection
   * attempts to that very port can connect to themselves).
   */
  private static WorkOsEmulator startEmulatorOutsideEphemeralPorts() {
    Random random = new Random();
    RuntimeException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      int port = 20_000 + random.nextInt(12_000);
      try {
        return WorkOsEmulator.builder()
            .port(port)
            .apiKey(ConnectClusterSupport.TEST_API_KEY)
            .rateLimit(Optional.of(new RateLimit(REQUESTS_PER_MINUTE, Duration.ofMinutes(1))))
            .start();
      } catch (RuntimeException e) {
        last = e; // taken: another one
      }
    }
    throw last;
  }

  private static ConnectWorkerProcess startWorker(KafkaBroker kafka) {
    Map<String, String> overrides = new LinkedHashMap<>();
    // Offsets committed every second, as the other integration tests do: a replay after the kill
    // is then seconds of events rather than the default minute.
    overrides.put("offset.flush.interval.ms", "1000");
    // A killed worker's group memberships expire in seconds instead of the defaults' 10 s (the
    // Connect group) and 45 s (its tasks' consumers), and its tasks move at once: worker
    // settings that keep the test short; the connector's own settings stay default.
    overrides.put("session.timeout.ms", "6000");
    overrides.put("heartbeat.interval.ms", "2000");
    overrides.put("consumer.session.timeout.ms", "6000");
    overrides.put("consumer.heartbeat.interval.ms", "2000");
    overrides.put("scheduled.rebalance.max.delay.ms", "1000");
    // Internal topics of one partition each: created in a moment on a busy machine.
    overrides.put("offset.storage.partitions", "1");
    overrides.put("status.storage.partitions", "1");
    Path pluginDir = Path.of(System.getProperty("auditpipe.plugin.dir"));
    return ConnectWorkerProcess.start(
        new ConnectWorkerProcess.Settings(
            kafka.bootstrapServers(),
            pluginDir,
            ConnectWorkerProcess.kafkaClasspathOfThisJvm(),
            "auditpipe-unattended-it",
            overrides,
            // Quicker (re)starts on a busy 2-core machine; the worker's speed is not measured here.
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
            // Beside the plugin archive, in the connector's build directory.
            pluginDir.resolveSibling("it-unattended-worker.log")));
  }

  private Map<String, String> connectorConfig() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", "io.auditpipe.connect.WorkOsSinkConnector");
    c.put("tasks.max", Integer.toString(TASKS));
    c.put("topics", TOPIC);
    c.put("workos.api.key", ConnectClusterSupport.apiKeyReference());
    c.put("workos.base.url", workos.baseUrl().toString());
    c.put("workos.rate.limit.requests.per.minute", Integer.toString(REQUESTS_PER_MINUTE));
    c.put("auditpipe.rules", events.rules());
    c.put("errors.tolerance", "all");
    c.put("errors.deadletterqueue.topic.name", DLQ);
    c.put("errors.deadletterqueue.topic.replication.factor", "1");
    c.put("errors.deadletterqueue.context.headers.enable", "true");
    Arrays.stream(System.getProperty("auditpipe.it.connector.overrides", "").split(";"))
        .filter(kv -> kv.contains("="))
        .forEach(
            kv ->
                c.put(
                    kv.substring(0, kv.indexOf('=')).trim(),
                    kv.substring(kv.indexOf('=') + 1).trim()));
    return c;
  }

  /**
   * Waits until the emulator stores {@code n} events; fails at once when a task has failed or a
   * record was dead-lettered.
   */
  private void awaitStored(int n, Duration timeout, String what) {
    Instant until = Instant.now().plus(timeout);
    Instant nextDlqCheck = Instant.now();
    while (workos.eventCount() < n) {
      failIfAnythingFailed(what);
      if (Instant.now().isAfter(nextDlqCheck)) {
        long deadLettered = broker.recordCount(DLQ);
        if (deadLettered > 0) {
          throw new AssertionError(
              deadLettered + " record(s) dead-lettered during " + what + "\n" + summary());
        }
        nextDlqCheck = Instant.now().plusSeconds(5);
      }
      if (Instant.now().isAfter(until)) {
        throw new AssertionError(
            "timed out after "
                + timeout.toSeconds()
                + " s waiting for "
                + what
                + ": "
                + workos.eventCount()
                + " of "
                + n
                + " events stored\n"
                + summary());
      }
      sleep(Duration.ofMillis(100));
    }
  }

  /** Lets {@code d} pass, failing at once when a task fails meanwhile. */
  private void watchFor(Duration d, String what) {
    Instant until = Instant.now().plus(d);
    while (Instant.now().isBefore(until)) {
      failIfAnythingFailed(what);
      sleep(Duration.ofMillis(100));
    }
  }

  private void failIfAnythingFailed(String what) {
    if (!states.failures().isEmpty()) {
      throw new AssertionError(
          "a task failed during "
              + what
              + " ("
              + workos.eventCount()
              + " of "
              + TOTAL
              + " events stored); nobody may have to restart it\n"
              + summary());
    }
  }

  private void mark(String what) {
    timeline
        .append(String.format(Locale.ROOT, "  +%.1f s ", (System.nanoTime() - startNanos) / 1e9))
        .append(what)
        .append('\n');
  }

  private String summary() {
    return "UnattendedDeliveryIT timeline:\n"
        + timeline
        + "task states: "
        + (states == null ? "(not recorded)" : states.report())
        + (workos == null || workos.idempotencyConflicts().isEmpty()
            ? ""
            : "\nidempotency conflicts: " + workos.idempotencyConflicts());
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
