package io.auditpipe.bench.delivery;

import static java.net.http.HttpClient.Version.HTTP_1_1;
import static java.net.http.HttpClient.Version.HTTP_2;

import com.workos.WorkOS;
import com.workos.common.http.RequestOptions;
import com.workos.common.http.RetryConfig;
import com.workos.models.AuditLogEvent;
import com.workos.models.AuditLogEventActor;
import com.workos.models.AuditLogEventContext;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import io.auditpipe.workos.ApiKey;
import io.auditpipe.workos.AuditLogClient;
import io.auditpipe.workos.WorkOsClientConfig;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * One variant of {@code bench/delivery.sh}, in its own JVM so that its process CPU time is its own:
 * warm up, then send {@code events} events to the emulator and print a {@code MEASURE} line.
 *
 * <pre>
 * DeliveryRun auditpipe|auditpipe-http11|sdk|sdk-sequential BASE_URL API_KEY EVENTS WARMUP [CONCURRENCY]
 * DeliveryRun body FILE      (writes the reference request body, for wrk)
 * </pre>
 *
 * Every event has its own {@code Idempotency-Key}, as in production.
 */
public final class DeliveryRun {

  private DeliveryRun() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("body")) {
      Files.write(Path.of(args[1]), ReferenceEvent.body());
      return;
    }
    if (args.length < 5) {
      System.err.println(
          "usage: DeliveryRun auditpipe|auditpipe-http11|sdk|sdk-sequential BASE_URL API_KEY EVENTS WARMUP"
              + " [CONCURRENCY]");
      System.exit(2);
    }
    String variant = args[0];
    String baseUrl = args[1];
    String apiKey = args[2];
    int events = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    int concurrency = args.length > 5 ? Integer.parseInt(args[5]) : 32;
    String run = UUID.randomUUID().toString().substring(0, 8);
    Measurement m =
        switch (variant) {
          case "auditpipe" ->
              auditpipe("auditpipe", baseUrl, apiKey, events, warmup, concurrency, run, HTTP_2);
          case "auditpipe-http11" ->
              auditpipe(
                  "auditpipe_http11", baseUrl, apiKey, events, warmup, concurrency, run, HTTP_1_1);
          case "sdk" -> sdk(baseUrl, apiKey, events, warmup, concurrency, run, "sdk");
          case "sdk-sequential" -> sdk(baseUrl, apiKey, events, warmup, 1, run, "sdk_sequential");
          default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    System.out.println(m.line());
  }

  /** {@code version}: HTTP_2 is the client's default (h2c by prior knowledge on loopback). */
  private static Measurement auditpipe(
      String variant,
      String baseUrl,
      String apiKey,
      int events,
      int warmup,
      int maxInFlight,
      String run,
      HttpClient.Version version)
      throws Exception {
    WorkOsClientConfig config =
        WorkOsClientConfig.builder(ApiKey.of(apiKey))
            .baseUrl(baseUrl)
            .maxInFlight(maxInFlight)
            .requestsPerMinute(0)
            .httpVersion(version)
            .build();
    AuditEvent event = ReferenceEvent.event();
    try (AuditLogClient client = AuditLogClient.create(config)) {
      ConnectorFeed.deliver(client, event, warmup, run + "-w");
      ThreadCpu threads0 = ThreadCpu.snapshot();
      long cpu0 = ProcessCpu.nanos();
      long t0 = System.nanoTime();
      long failures = ConnectorFeed.deliver(client, event, events, run + "-m");
      long wall = System.nanoTime() - t0;
      long cpu = ProcessCpu.nanos() - cpu0;
      System.out.print(ThreadCpu.snapshot().since(threads0, events));
      return new Measurement(variant, events, failures, wall, cpu);
    }
  }

  private static Measurement sdk(
      String baseUrl,
      String apiKey,
      int events,
      int warmup,
      int threads,
      String run,
      String variant)
      throws Exception {
    // Its best case: a connection pool as large as the thread pool, so no connection churns.
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectionPool(new ConnectionPool(Math.max(5, threads), 5, TimeUnit.MINUTES))
            .build();
    WorkOS workos =
        WorkOS.builder()
            .apiKey(apiKey)
            .apiBaseUrl(baseUrl)
            .httpClient(http)
            .retryConfig(RetryConfig.DEFAULT)
            .build();
    AuditLogEvent event = sdkEvent(ReferenceEvent.event());
    String org = ReferenceEvent.ORGANIZATION;
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
    try {
      sdkSend(workos, pool, org, event, warmup, run + "-w");
      ThreadCpu threads0 = ThreadCpu.snapshot();
      long cpu0 = ProcessCpu.nanos();
      long t0 = System.nanoTime();
      long failures = sdkSend(workos, pool, org, event, events, run + "-m");
      long wall = System.nanoTime() - t0;
      long cpu = ProcessCpu.nanos() - cpu0;
      System.out.print(ThreadCpu.snapshot().since(threads0, events));
      return new Measurement(variant, events, failures, wall, cpu);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  private static long sdkSend(
      WorkOS workos, ExecutorService pool, String org, AuditLogEvent event, int n, String prefix)
      throws Exception {
    AtomicLong failures = new AtomicLong();
    if (pool == null) {
      // How the SDK's docs use it: one call after the other.
      for (int i = 0; i < n; i++) {
        sdkCall(workos, org, event, prefix + "-" + i, failures);
      }
      return failures.get();
    }
    List<java.util.concurrent.Future<?>> fs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String key = prefix + "-" + i;
      fs.add(pool.submit(() -> sdkCall(workos, org, event, key, failures)));
    }
    for (java.util.concurrent.Future<?> f : fs) {
      f.get();
    }
    return failures.get();
  }

  private static void sdkCall(
      WorkOS workos, String org, AuditLogEvent event, String key, AtomicLong failures) {
    try {
      workos
          .getAuditLogs()
          .createEvent(org, event, RequestOptions.builder().idempotencyKey(key).build());
    } catch (RuntimeException e) {
      failures.incrementAndGet();
    }
  }

  /** The reference event in the SDK's model (targets are actors there). */
  static AuditLogEvent sdkEvent(AuditEvent e) {
    List<AuditLogEventActor> targets = new ArrayList<>();
    for (Target t : e.targets()) {
      targets.add(
          new AuditLogEventActor(
              t.id(), t.type(), t.name().orElse(null), raw(t.metadata().values())));
    }
    return new AuditLogEvent(
        e.action(),
        e.occurredAt().atOffset(ZoneOffset.UTC),
        new AuditLogEventActor(
            e.actor().id(),
            e.actor().type(),
            e.actor().name().orElse(null),
            raw(e.actor().metadata().values())),
        targets,
        new AuditLogEventContext(e.context().location(), e.context().userAgent().orElse(null)),
        raw(e.metadata().values()),
        null);
  }

  private static Map<String, Object> raw(Map<String, MetadataValue> values) {
    if (values.isEmpty()) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, v.raw()));
    return out;
  }
}
