package io.auditpipe.bench.pipeline;

import io.auditpipe.emulator.WorkOsEmulator;
import io.auditpipe.emulator.state.RateLimit;
import io.auditpipe.emulator.state.StoredEvent;
import io.auditpipe.testkit.connect.EmbeddedConnect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * The whole connector pipeline on one machine: an in-process broker and Connect worker running the
 * auditpipe sink (inline rules, one task) delivering to the emulator on loopback.
 *
 * <ul>
 *   <li>{@code unlimited [events] [warm-up events]}: optionally warms the JVM up with a first
 *       connector on another topic, then pre-produces the events (record timestamp = production
 *       time, also the event's {@code occurred_at}), starts the connector and waits until the
 *       emulator stored them all. Prints {@code RESULT pipeline eps=… p99_ms=… lost=…
 *       duplicates=…}: eps from the connector's start to the last event stored; p99 of record
 *       timestamp to stored. Before it, the process CPU per event over the same span and where it
 *       went, by thread group.
 *   <li>{@code limited [seconds]}: the emulator enforces WorkOS's 6,000 requests/min; more events
 *       than the window allows are pre-produced. Prints {@code RESULT pipeline_limited
 *       utilisation=… throttled_share=… lost=…}: events stored in the window over the limit's
 *       allowance, 429 answers over all requests, and events missing once the backlog drained.
 * </ul>
 */
public final class PipelineBenchmark {

  private static final String API_KEY = "sk_test_auditpipe_bench";
  private static final String ORG = "org_bench";
  static final String TOPIC = "bench.orders";
  private static final String WARMUP_TOPIC = "bench.warmup";

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "unlimited";
    if (mode.equals("unlimited")) {
      unlimited(
          args.length > 1 ? Integer.parseInt(args[1]) : 100_000,
          args.length > 2 ? Integer.parseInt(args[2]) : 0);
    } else if (mode.equals("limited")) {
      limited(args.length > 1 ? Integer.parseInt(args[1]) : 60);
    } else {
      throw new IllegalArgumentException("expected unlimited or limited, found " + mode);
    }
    System.exit(0);
  }

  private static void unlimited(int events, int warmupEvents) throws Exception {
    try (WorkOsEmulator workos = emulator(Optional.empty())) {
      EmbeddedConnectCluster connect = cluster();
      try {
        if (warmupEvents > 0) {
          warmUp(connect, workos, warmupEvents);
        }
        connect.kafka().createTopic(TOPIC, 3);
        produce(connect, TOPIC, "b-", events);
        CpuAccount before = CpuAccount.now();
        Instant start = Instant.now();
        connect.configureConnector("bench", connectorConfig(workos, TOPIC, 0));
        awaitStored(workos, events, Duration.ofMinutes(10));
        CpuAccount after = CpuAccount.now();
        System.out.print(after.breakdown(before, events));
        List<StoredEvent> stored = workos.events(ORG);
        Instant last =
            stored.stream().map(StoredEvent::receivedAt).max(Instant::compareTo).orElseThrow();
        Instant first =
            stored.stream().map(StoredEvent::receivedAt).min(Instant::compareTo).orElseThrow();
        System.out.printf(
            Locale.ROOT,
            "first event stored %.1f s after the connector was created, the last %.1f s after%n",
            Duration.between(start, first).toMillis() / 1e3,
            Duration.between(start, last).toMillis() / 1e3);
        double seconds = Duration.between(start, last).toNanos() / 1e9;
        long[] latencies =
            stored.stream()
                .mapToLong(e -> Duration.between(e.event().occurredAt(), e.receivedAt()).toMillis())
                .sorted()
                .toArray();
        long p99 = latencies[(int) Math.min(latencies.length - 1, latencies.length * 0.99)];
        Set<String> actors = new HashSet<>();
        stored.forEach(e -> actors.add(e.event().actor().id()));
        long lost = (long) events - actors.size();
        long duplicates = (long) stored.size() - actors.size();
        System.out.printf(
            Locale.ROOT,
            "RESULT pipeline eps=%d p99_ms=%d lost=%d duplicates=%d%n",
            Math.round(events / seconds),
            p99,
            lost,
            duplicates);
      } finally {
        connect.stop();
      }
    }
  }

  private static void limited(int windowSeconds) throws Exception {
    try (WorkOsEmulator workos = emulator(Optional.of(RateLimit.WORKOS))) {
      EmbeddedConnectCluster connect = cluster();
      try {
        connect.kafka().createTopic(TOPIC, 3);
        int allowance = RateLimit.WORKOS.requests() * windowSeconds / 60;
        int events = allowance + allowance / 5;
        produce(connect, TOPIC, "b-", events);
        connect.configureConnector("bench", connectorConfig(workos, TOPIC, 6_000));
        // The window opens with the first stored event, so worker start-up is not counted.
        awaitStored(workos, 1, Duration.ofMinutes(2));
        Instant opened = Instant.now();
        long before = workos.eventCount();
        Thread.sleep(windowSeconds * 1_000L);
        long inWindow = workos.eventCount() - before;
        double utilisation = inWindow / (double) allowance;
        awaitStored(workos, events, Duration.ofMinutes(3));
        long throttled = workos.counters().requests(429);
        long requests =
            workos.counters().requestsByStatus().values().stream().mapToLong(Long::longValue).sum();
        Set<String> actors = new HashSet<>();
        workos.events(ORG).forEach(e -> actors.add(e.event().actor().id()));
        System.err.printf(
            Locale.ROOT,
            "window opened %s, %d stored in %d s, %d requests, %d throttled%n",
            opened,
            inWindow,
            windowSeconds,
            requests,
            throttled);
        System.out.printf(
            Locale.ROOT,
            "RESULT pipeline_limited utilisation=%.3f throttled_share=%.4f lost=%d%n",
            utilisation,
            requests == 0 ? 0.0 : throttled / (double) requests,
            events - actors.size());
      } finally {
        connect.stop();
      }
    }
  }

  /**
   * Runs {@code events} through a first connector on their own topic and forgets them, so that the
   * measured run meets mostly compiled code (without it the C1/C2 compiler threads take about a
   * third of a 100,000-event run's CPU), as the delivery and emulator benchmarks warm up.
   */
  private static void warmUp(EmbeddedConnectCluster connect, WorkOsEmulator workos, int events)
      throws InterruptedException {
    connect.kafka().createTopic(WARMUP_TOPIC, 3);
    produce(connect, WARMUP_TOPIC, "w-", events);
    Instant start = Instant.now();
    connect.configureConnector("warmup", connectorConfig(workos, WARMUP_TOPIC, 0));
    awaitStored(workos, events, Duration.ofMinutes(10));
    connect.deleteConnector("warmup");
    System.out.printf(
        Locale.ROOT,
        "warm-up: %d events in %.1f s%n",
        events,
        Duration.between(start, Instant.now()).toMillis() / 1e3);
    workos.reset();
  }

  private static WorkOsEmulator emulator(Optional<RateLimit> limit) {
    return WorkOsEmulator.builder()
        .apiKey(API_KEY)
        .organization(ORG, "bench", Optional.empty())
        .rateLimit(limit)
        .schemaValidation(false)
        .start();
  }

  private static EmbeddedConnectCluster cluster() {
    Map<String, String> worker = new HashMap<>();
    worker.put("offset.flush.interval.ms", "5000");
    return EmbeddedConnect.start("auditpipe-bench", 1, worker);
  }

  private static Map<String, String> connectorConfig(
      WorkOsEmulator workos, String topic, int perMinute) {
    Map<String, String> props = new HashMap<>();
    props.put("connector.class", "io.auditpipe.connect.WorkOsSinkConnector");
    props.put("tasks.max", "1");
    props.put("topics", topic);
    props.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("consumer.override.max.poll.records", "2000");
    props.put("workos.api.key", API_KEY);
    props.put("workos.base.url", workos.baseUrl().toString());
    props.put("workos.rate.limit.requests.per.minute", Integer.toString(perMinute));
    props.put("workos.max.in.flight", System.getProperty("pipeline.max.in.flight", "32"));
    props.put("auditpipe.rules", RULES);
    return props;
  }

  private static void produce(
      EmbeddedConnectCluster connect, String topic, String idPrefix, int events) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(config)) {
      for (int i = 0; i < events; i++) {
        long now = System.currentTimeMillis();
        var unused =
            producer.send(new ProducerRecord<>(topic, null, now, null, event(idPrefix, i, now)));
      }
    }
  }

  /**
   * The {@code i}th benchmark event, as JSON bytes, occurring at {@code now} (epoch millis); its
   * event id and user id start with {@code idPrefix}.
   */
  static byte[] event(String idPrefix, int i, long now) {
    return ("{\"type\":\"order.paid\",\"event_id\":\""
            + idPrefix
            + i
            + "\",\"ts\":"
            + now
            + ",\"ip\":\"10.1.2.3\",\"user\":{\"id\":\""
            + idPrefix
            + "user-"
            + i
            + "\",\"name\":\"User "
            + i
            + "\"},\"order\":{\"id\":\"order-"
            + i
            + "\",\"total\":"
            + (i % 1000)
            + ",\"currency\":\"eur\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void awaitStored(WorkOsEmulator workos, long n, Duration timeout)
      throws InterruptedException {
    Instant until = Instant.now().plus(timeout);
    while (workos.eventCount() < n) {
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException(
            "only " + workos.eventCount() + " of " + n + " events stored after " + timeout);
      }
      Thread.sleep(50);
    }
  }

  /** The benchmark's rules: one {@code order.paid} event per record. */
  static final String RULES =
      """
      {"version": 1, "rules": [{
        "name": "order-paid", "topics": ["bench.orders", "bench.warmup"],
        "when": {"path": "/type", "equals": "order.paid"},
        "organization_id": "org_bench", "action": "order.paid",
        "occurred_at": {"path": "/ts", "timestamp": "epoch_millis"},
        "actor": {"id": {"path": "/user/id"}, "type": "user", "name": {"path": "/user/name"}},
        "targets": [{"id": {"path": "/order/id"}, "type": "order"}],
        "context": {"location": {"path": "/ip"}},
        "metadata": {"total": {"path": "/order/total"},
                     "currency": {"path": "/order/currency", "fn": "upper"}},
        "idempotency_key": {"path": "/event_id"}
      }]}
      """;

  private PipelineBenchmark() {}
}
