package io.auditpipe.bench.delivery;

import com.workos.WorkOS;
import com.workos.common.http.RequestOptions;
import com.workos.common.http.RetryConfig;
import com.workos.models.AuditLogEvent;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.workos.ApiKey;
import io.auditpipe.workos.AuditLogClient;
import io.auditpipe.workos.DeliveryOutcome;
import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.egress.KeyStoreFile;
import io.auditpipe.workos.egress.KeyStores;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * Part 2 of {@code bench/delivery.sh}: delivery at WorkOS's shape — https with HTTP/2 by ALPN, 80 ±
 * 20 ms answers, the 6,000/60 s limit — in one client JVM, three phases:
 *
 * <ol>
 *   <li>auditpipe's client with its defaults sends {@code EVENTS} events as fast as it may (after a
 *       {@code WARMUP} at the limit, not measured): utilisation of the limit and process CPU per
 *       event over the measured window only. Before that, {@code JIT_WARMUP} events go through
 *       another client of the same code, paced at 7.5 times the limit, to {@code WARM_URL} (the
 *       same emulator without a rate limit), so the JIT has compiled the HTTP stacks as in a JVM
 *       that has run for hours: at 100 events/s, the compilers would otherwise still be busy
 *       minutes later;
 *   <li>the same client at 50 events/s for {@code LATENCY_SECONDS}: send-to-outcome p50 and p99;
 *   <li>the official Java SDK called as its docs show, one {@code createEvent} after the other, for
 *       {@code SDK_SECONDS}: its rate.
 * </ol>
 *
 * Prints {@code RESULT delivery_wan …}.
 *
 * <pre>
 * WanRun BASE_URL API_KEY CERT_PEM LIMIT_PER_MINUTE EVENTS WARMUP LATENCY_SECONDS SDK_SECONDS
 *        [WARM_URL WARM_CERT_PEM JIT_WARMUP]
 * </pre>
 */
public final class WanRun {

  /** The JIT warm-up's pace: 7.5 times WorkOS's limit, near what 64 in flight carry at 80 ms. */
  private static final int WARM_PER_MINUTE = 45_000;

  /** Posts of the Jetty floor phase: a minute at the limit. */
  private static final int FLOOR_EVENTS =
      Integer.parseInt(System.getenv().getOrDefault("WAN_FLOOR_EVENTS", "6000"));

  private WanRun() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 8 && args.length != 11) {
      System.err.println(
          "usage: WanRun BASE_URL API_KEY CERT_PEM LIMIT_PER_MINUTE EVENTS WARMUP LATENCY_SECONDS"
              + " SDK_SECONDS [WARM_URL WARM_CERT_PEM JIT_WARMUP]");
      System.exit(2);
    }
    String baseUrl = args[0];
    String apiKey = args[1];
    Path pem = Path.of(args[2]);
    int limitPerMinute = Integer.parseInt(args[3]);
    int events = Integer.parseInt(args[4]);
    int warmup = Integer.parseInt(args[5]);
    int latencySeconds = Integer.parseInt(args[6]);
    int sdkSeconds = Integer.parseInt(args[7]);
    String run = UUID.randomUUID().toString().substring(0, 8);
    AuditEvent event = ReferenceEvent.event();
    if (args.length == 11 && Integer.parseInt(args[10]) > 0) {
      warmJit(args[8], apiKey, Path.of(args[9]), event, Integer.parseInt(args[10]), run + "-j");
    }

    // Defaults, as a user deploys it: only the URL, the key and the trust for the test CA.
    WorkOsClientConfig config =
        WorkOsClientConfig.builder(ApiKey.of(apiKey))
            .baseUrl(baseUrl)
            .trustStore(Optional.of(KeyStoreFile.of(pem)))
            .build();
    double eps;
    double cpuPerEvent;
    double jitPerEvent;
    long[] latencies;
    try (AuditLogClient client = AuditLogClient.create(config)) {
      // Once before the window, so that the JIT compiles the snapshot's own code outside it.
      var unused = ThreadCpu.snapshot().since(ThreadCpu.snapshot(), 1);
      ConnectorFeed.deliver(client, event, warmup, run + "-w");
      ThreadCpu threads0 = ThreadCpu.snapshot();
      long cpu0 = ProcessCpu.nanos();
      long t0 = System.nanoTime();
      long failures = ConnectorFeed.deliver(client, event, events, run + "-m");
      long wall = System.nanoTime() - t0;
      long cpu = ProcessCpu.nanos() - cpu0;
      ThreadCpu threads1 = ThreadCpu.snapshot();
      System.out.print(threads1.since(threads0, events));
      eps = events / (wall / 1e9);
      cpuPerEvent = cpu / 1e3 / (events - failures);
      jitPerEvent = threads1.compilerNanosSince(threads0) / 1e3 / (events - failures);
      System.out.printf(
          Locale.ROOT,
          "WAN auditpipe events=%d failures=%d seconds=%.1f eps=%.2f cpu_us_per_event=%.1f"
              + " of_which_jit_us_per_event=%.1f%n",
          events,
          failures,
          wall / 1e9,
          eps,
          cpuPerEvent,
          jitPerEvent);
      latencies = paced(client, event, 50, latencySeconds, run + "-l");
    }
    long p50 = percentile(latencies, 0.50);
    long p99 = percentile(latencies, 0.99);
    System.out.printf(
        Locale.ROOT,
        "WAN latency events=%d rate=50/s p50_ms=%d p90_ms=%d p99_ms=%d max_ms=%d%n",
        latencies.length,
        p50,
        percentile(latencies, 0.90),
        p99,
        percentile(latencies, 1.0));
    // For the record, not in the RESULT line: the transport alone at the engine's pace of the
    // limit,
    // and
    // auditpipe's CPU per event against it, both without the JIT.
    double floor =
        JettyFloor.cpuPerEventWithoutJit(
            config,
            ReferenceEvent.body(),
            FLOOR_EVENTS,
            limitPerMinute / 60.0 * (1 - config.safetyMargin()));
    System.out.printf(
        Locale.ROOT,
        "WAN auditpipe_vs_jetty_floor=%.2f auditpipe_us=%.1f floor_us=%.1f (process CPU per event,"
            + " JIT left out)%n",
        (cpuPerEvent - jitPerEvent) / floor,
        cpuPerEvent - jitPerEvent,
        floor);
    double sdkEps = sdkSequential(baseUrl, apiKey, pem, event, sdkSeconds, run + "-s");
    double utilisation = eps / (limitPerMinute / 60.0);
    System.out.printf(
        Locale.ROOT,
        "RESULT delivery_wan utilisation=%.3f ratio_vs_sdk_sequential=%.1f p50_ms=%d p99_ms=%d"
            + " cpu_us_per_event=%.0f%n",
        utilisation,
        eps / sdkEps,
        p50,
        p99,
        cpuPerEvent);
  }

  /**
   * {@code n} events through a client paced at {@link #WARM_PER_MINUTE} to the unlimited emulator
   * at {@code url}.
   */
  private static void warmJit(
      String url, String apiKey, Path pem, AuditEvent event, int n, String prefix)
      throws InterruptedException {
    WorkOsClientConfig config =
        WorkOsClientConfig.builder(ApiKey.of(apiKey))
            .baseUrl(url)
            .trustStore(Optional.of(KeyStoreFile.of(pem)))
            // Paced, so that every attempt waits on the engine's timer as at the real limit: the
            // JIT then compiles the path the measured phase takes, not only the unpaced one.
            .requestsPerMinute(WARM_PER_MINUTE)
            .build();
    long t0 = System.nanoTime();
    long failures;
    try (AuditLogClient client = AuditLogClient.create(config)) {
      failures = ConnectorFeed.deliver(client, event, n, prefix);
    }
    System.out.printf(
        Locale.ROOT,
        "WAN jit_warmup events=%d failures=%d seconds=%.1f%n",
        n,
        failures,
        (System.nanoTime() - t0) / 1e9);
  }

  /** Sends {@code rate} events per second for {@code seconds}; send-to-outcome latencies in ms. */
  private static long[] paced(
      AuditLogClient client, AuditEvent event, int rate, int seconds, String prefix)
      throws Exception {
    int n = rate * seconds;
    long[] latencies = new long[n];
    List<CompletableFuture<DeliveryOutcome>> futures = new ArrayList<>(n);
    long start = System.nanoTime();
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    for (int i = 0; i < n; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      int index = i;
      long sent = System.nanoTime();
      futures.add(
          client
              .send(event, prefix + "-" + i)
              .whenComplete(
                  (o, e) ->
                      latencies[index] =
                          o instanceof DeliveryOutcome.Delivered
                              ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)
                              : Long.MAX_VALUE));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    return latencies;
  }

  private static long percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** The SDK as its docs call it, over the same TLS, for {@code seconds}; its events per second. */
  private static double sdkSequential(
      String baseUrl, String apiKey, Path pem, AuditEvent e, int seconds, String prefix)
      throws Exception {
    KeyStore trust = KeyStores.trustStore(KeyStoreFile.of(pem));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
    OkHttpClient http =
        new OkHttpClient.Builder().sslSocketFactory(tls.getSocketFactory(), tm).build();
    WorkOS workos =
        WorkOS.builder()
            .apiKey(apiKey)
            .apiBaseUrl(baseUrl)
            .httpClient(http)
            .retryConfig(RetryConfig.DEFAULT)
            .build();
    AuditLogEvent event = DeliveryRun.sdkEvent(e);
    long failures = 0;
    long sent = 0;
    long cpu0 = ProcessCpu.nanos();
    long t0 = System.nanoTime();
    long until = t0 + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < until) {
      try {
        workos
            .getAuditLogs()
            .createEvent(
                ReferenceEvent.ORGANIZATION,
                event,
                RequestOptions.builder().idempotencyKey(prefix + "-" + sent).build());
      } catch (RuntimeException ex) {
        failures++;
      }
      sent++;
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpuPerEvent = (ProcessCpu.nanos() - cpu0) / 1e3 / Math.max(1, sent - failures);
    double eps = (sent - failures) / wall;
    System.out.printf(
        Locale.ROOT,
        "WAN sdk_sequential events=%d failures=%d seconds=%.1f eps=%.2f cpu_us_per_event=%.1f%n",
        sent,
        failures,
        wall,
        eps,
        cpuPerEvent);
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    return eps;
  }
}
