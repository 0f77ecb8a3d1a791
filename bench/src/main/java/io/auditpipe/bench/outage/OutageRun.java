package io.auditpipe.bench.outage;

import io.auditpipe.emulator.WorkOsEmulator;
import io.auditpipe.emulator.state.RateLimit;
import io.auditpipe.testkit.connect.ConnectRest;
import io.auditpipe.testkit.connect.ConnectWorkerProcess;
import io.auditpipe.testkit.connect.TaskStateRecorder;
import io.auditpipe.testkit.kafka.KafkaBroker;
import io.auditpipe.testkit.pipeline.DeliveryLedger;
import io.auditpipe.testkit.pipeline.OrderEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * {@code bench/outage.sh}: a stock-shaped Connect worker (its own JVM, Kafka's jars, the connector
 * from {@code plugin.path}, default connector settings) delivers {@code EVENTS} events (produced up
 * front over four partitions, two tasks) to the emulator enforcing WorkOS's limit; once half are
 * stored, WorkOS refuses connections for {@code OUTAGE_SECONDS}, then comes back with its state.
 * The broker and the emulator run in this JVM. Prints progress, a {@code MEASURE_OUTAGE} line and
 * the {@code RESULT outage} line last.
 *
 * <pre>
 * OutageRun PLUGIN_DIR WORKER_CLASSPATH WORK_DIR EVENTS OUTAGE_SECONDS REQUESTS_PER_MINUTE
 * </pre>
 *
 * <ul>
 *   <li>{@code recovery_s}: from WorkOS healthy again to the start of the first 10 s during which
 *       events were stored at ≥ 90 % of the limit; -1 if that never happened.
 *   <li>{@code catchup_utilisation}: events stored per second from that point until the backlog was
 *       drained, as a share of the limit (0 if it never recovered).
 * </ul>
 */
public final class OutageRun {

  private static final String API_KEY = "sk_test_bench_outage_0123456789";
  private static final String CONNECTOR = "outage";
  private static final String TOPIC = "orders-outage";
  private static final String DLQ = TOPIC + ".dlq";
  private static final double RATE_WINDOW_S = 10;

  /** After WorkOS is back, the run ends when no event was stored for this long. */
  private static final double STALL_S = 120;

  private OutageRun() {}

  public static void main(String[] args) throws Exception {
    Path pluginDir = Path.of(args[0]);
    String workerClasspath = args[1];
    Path workDir = Path.of(args[2]);
    int events = Integer.parseInt(args[3]);
    Duration outage = Duration.ofSeconds(Long.parseLong(args[4]));
    int perMinute = Integer.parseInt(args[5]);
    double limitRps = perMinute / 60.0;
    String org = "org_bench_outage";

    try (WorkOsEmulator workos =
            WorkOsEmulator.builder()
                .apiKey(API_KEY)
                .rateLimit(Optional.of(new RateLimit(perMinute, Duration.ofMinutes(1))))
                .start();
        KafkaBroker kafka = KafkaBroker.start();
        ConnectWorkerProcess worker =
            ConnectWorkerProcess.start(
                new ConnectWorkerProcess.Settings(
                    kafka.bootstrapServers(),
                    pluginDir,
                    workerClasspath,
                    "auditpipe-bench-outage",
                    Map.of(),
                    List.of(),
                    workDir.resolve("outage-worker.log")))) {
      workos.addOrganization(org, "bench", Optional.empty());
      OrderEvents orders = new OrderEvents(TOPIC, org, "outage");
      kafka.createTopic(TOPIC, 4);
      try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
        orders.produce(producer, 0, events);
      }
      log("%d events produced; worker REST at %s", events, worker.rest().base());

      Map<String, String> config = new LinkedHashMap<>();
      config.put("connector.class", "io.auditpipe.connect.WorkOsSinkConnector");
      config.put("tasks.max", "2");
      config.put("topics", TOPIC);
      config.put("workos.api.key", API_KEY);
      config.put("workos.base.url", workos.baseUrl().toString());
      config.put("auditpipe.rules", orders.rules());
      config.put("errors.tolerance", "all");
      config.put("errors.deadletterqueue.topic.name", DLQ);
      config.put("errors.deadletterqueue.topic.replication.factor", "1");
      ConnectRest.Answer created = worker.rest().putConnector(CONNECTOR, config);
      if (!created.ok()) {
        throw new IllegalStateException("creating the connector failed: " + created.body());
      }

      try (TaskStateRecorder states =
              TaskStateRecorder.start(
                  worker.rest(), CONNECTOR, Duration.ofMillis(500), System.nanoTime());
          DeliverySamples samples = new DeliverySamples(workos::eventCount, 250)) {
        while (workos.eventCount() < events / 2) {
          Thread.sleep(100);
        }
        workos.suspend();
        double down = samples.now();
        log(
            "WorkOS refusing connections at %d stored, for %d s",
            workos.eventCount(), outage.toSeconds());
        Thread.sleep(outage.toMillis());
        workos.resume();
        double up = samples.now();
        log("WorkOS back at %d stored", workos.eventCount());

        double lastProgress = up;
        long lastCount = workos.eventCount();
        while (workos.eventCount() < events && samples.now() - lastProgress < STALL_S) {
          Thread.sleep(1_000);
          long c = workos.eventCount();
          if (c != lastCount) {
            lastCount = c;
            lastProgress = samples.now();
          }
        }
        Thread.sleep(2_000);
        double end = samples.now();
        OptionalDouble drained = samples.firstReaching(events);
        OptionalDouble recovered = samples.firstWindowAtRate(up, RATE_WINDOW_S, 0.9 * limitRps);
        double recoveryS = recovered.isPresent() ? recovered.getAsDouble() - up : -1;
        double utilisation = 0;
        if (recovered.isPresent()) {
          double from = recovered.getAsDouble();
          double to = drained.orElse(end);
          utilisation = (samples.countAt(to) - samples.countAt(from)) / ((to - from) * limitRps);
        }
        double fromHealthy =
            (samples.countAt(drained.orElse(end)) - samples.countAt(up))
                / ((drained.orElse(end) - up) * limitRps);

        DeliveryLedger ledger = DeliveryLedger.count(workos, orders, events);
        long deadLettered = kafka.recordCount(DLQ);
        System.out.println(states.report());
        System.out.printf(
            Locale.ROOT,
            "MEASURE_OUTAGE events=%d limit_rps=%.2f outage_s=%.1f before_rps=%.2f drained=%s"
                + " drain_s_after_healthy=%s utilisation_from_healthy=%.3f replays=%d"
                + " unexpected=%d restart_calls=%d throttled=%d%n",
            events,
            limitRps,
            up - down,
            samples.countAt(down) / (down - samples.firstReaching(1).orElse(0)),
            drained.isPresent(),
            drained.isPresent()
                ? String.format(Locale.ROOT, "%.1f", drained.getAsDouble() - up)
                : "-",
            fromHealthy,
            ledger.replays(),
            ledger.unexpected(),
            worker.restartRequestsLogged().size(),
            workos.counters().throttled());
        System.out.printf(
            Locale.ROOT,
            "RESULT outage lost=%d duplicates=%d dead_lettered=%d failed_tasks=%d recovery_s=%.1f"
                + " catchup_utilisation=%.3f%n",
            ledger.missing(),
            ledger.duplicates(),
            deadLettered,
            states.failedTasks(),
            recoveryS,
            utilisation);
      }
    }
  }

  private static void log(String format, Object... args) {
    System.out.printf(Locale.ROOT, "[outage] " + format + "%n", args);
  }
}
