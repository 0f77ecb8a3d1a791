package io.auditpipe.bench.delivery;

import io.auditpipe.workos.egress.KeyStoreFile;
import io.auditpipe.workos.egress.KeyStores;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The floor under {@code cpu_us_per_event} in part 2: Jetty's {@code HttpClient} alone, set up as
 * {@code WorkOsHttp} sets it up (HTTP/2 by ALPN over TLS, one selector, one connection, no reserved
 * thread), posting the same body at the engine's pace of the limit from a timer, one request per
 * tick, with no auditpipe code around it: no rate budget, retries, outcomes or event serialisation.
 * What it costs per event is what any client on this transport pays at WorkOS's shape on this
 * machine.
 */
final class JettyFloor {

  private JettyFloor() {}

  /**
   * The process CPU per event of {@code events} posts at {@code perSecond}, in µs, without the JIT
   * compiler threads' (still compiling this code's own paths, which auditpipe's JVM has long since
   * compiled).
   */
  static double cpuPerEventWithoutJit(
      String baseUrl, String apiKey, Path pem, byte[] body, int events, double perSecond)
      throws Exception {
    SslContextFactory.Client tls = new SslContextFactory.Client();
    tls.setTrustStore(KeyStores.trustStore(KeyStoreFile.of(pem)));
    QueuedThreadPool threads = new QueuedThreadPool(8, 2);
    threads.setName("jetty-floor");
    threads.setReservedThreads(0);
    ClientConnector connector = new ClientConnector();
    connector.setSelectors(1);
    connector.setExecutor(threads);
    connector.setSslContextFactory(tls);
    HttpClient client =
        new HttpClient(
            new HttpClientTransportDynamic(
                connector,
                new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector)),
                HttpClientConnectionFactory.HTTP11));
    client.setExecutor(threads);
    client.setMaxConnectionsPerDestination(1);
    client.start();
    URI uri = URI.create(baseUrl + "/audit_logs/events");
    String authorization = "Bearer " + apiKey;
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "jetty-floor-timer");
              t.setDaemon(true);
              return t;
            });
    try {
      // This code's own paths (its listener, its timer) and Jetty's under their profile here are
      // compiled outside the window (with 500, the JIT took 180 µs per measured event). At the
      // pace, not faster: the emulator enforces the limit.
      run(client, timer, uri, authorization, body, 3_000, perSecond, "w");
      ThreadCpu threads0 = ThreadCpu.snapshot();
      long cpu0 = ProcessCpu.nanos();
      long t0 = System.nanoTime();
      long failures = run(client, timer, uri, authorization, body, events, perSecond, "m");
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpuPerEvent = (ProcessCpu.nanos() - cpu0) / 1e3 / events;
      ThreadCpu threads1 = ThreadCpu.snapshot();
      double jitPerEvent = threads1.compilerNanosSince(threads0) / 1e3 / events;
      System.out.print(threads1.since(threads0, events));
      System.out.printf(
          Locale.ROOT,
          "WAN jetty_floor events=%d failures=%d seconds=%.1f eps=%.2f cpu_us_per_event=%.1f"
              + " of_which_jit_us_per_event=%.1f%n",
          events,
          failures,
          seconds,
          events / seconds,
          cpuPerEvent,
          jitPerEvent);
      return cpuPerEvent - jitPerEvent;
    } finally {
      timer.shutdownNow();
      client.stop();
    }
  }

  /** {@code events} posts, one per tick; the number that did not end in a 2xx. */
  private static long run(
      HttpClient client,
      ScheduledExecutorService timer,
      URI uri,
      String authorization,
      byte[] body,
      int events,
      double perSecond,
      String prefix)
      throws InterruptedException {
    String run = prefix + "-" + System.nanoTime();
    CountDownLatch done = new CountDownLatch(events);
    AtomicInteger sent = new AtomicInteger();
    AtomicLong failures = new AtomicLong();
    ScheduledFuture<?> ticks =
        timer.scheduleAtFixedRate(
            () -> {
              int i = sent.getAndIncrement();
              if (i >= events) {
                return;
              }
              client
                  .newRequest(uri)
                  .method(HttpMethod.POST)
                  .timeout(10, TimeUnit.SECONDS)
                  .headers(
                      h ->
                          h.put(HttpHeader.AUTHORIZATION, authorization)
                              .put("Idempotency-Key", run + "-" + i))
                  .body(new BytesRequestContent("application/json", body))
                  .send(
                      result -> {
                        if (result.isFailed() || result.getResponse().getStatus() / 100 != 2) {
                          failures.incrementAndGet();
                        }
                        done.countDown();
                      });
            },
            0,
            (long) (1e9 / perSecond),
            TimeUnit.NANOSECONDS);
    done.await();
    ticks.cancel(false);
    return failures.get();
  }
}
