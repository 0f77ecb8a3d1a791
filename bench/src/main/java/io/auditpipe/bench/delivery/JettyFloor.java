package io.auditpipe.bench.delivery;

import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.http.WorkOsHttp;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The floor under {@code cpu_us_per_event} in part 2: auditpipe's transport alone, {@code
 * WorkOsHttp} (Jetty's {@code HttpClient} over HTTP/2 by ALPN, one selector, one connection, no
 * reserved thread), posting the same body at the engine's pace of the limit from a timer, one
 * request per tick, with none of the exchange engine around it: no rate budget, retries, outcomes
 * or event serialisation. What it costs per event is what any client on this transport pays at
 * WorkOS's shape on this machine.
 */
final class JettyFloor {

  private JettyFloor() {}

  /**
   * The process CPU per event of {@code events} posts at {@code perSecond}, in µs, without the JIT
   * compiler threads' (still compiling this code's own paths, which auditpipe's JVM has long since
   * compiled).
   */
  static double cpuPerEventWithoutJit(
      WorkOsClientConfig config, byte[] body, int events, double perSecond) throws Exception {
    WorkOsHttp http = WorkOsHttp.of(config);
    URI uri = http.uri("/audit_logs/events");
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
      run(http, timer, uri, body, 3_000, perSecond, "w");
      ThreadCpu threads0 = ThreadCpu.snapshot();
      long cpu0 = ProcessCpu.nanos();
      long t0 = System.nanoTime();
      long failures = run(http, timer, uri, body, events, perSecond, "m");
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
      http.close();
    }
  }

  /** {@code events} posts, one per tick; the number that did not end in a 2xx. */
  private static long run(
      WorkOsHttp http,
      ScheduledExecutorService timer,
      URI uri,
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
              Request r = http.request(HttpMethod.POST, uri, Optional.of(body));
              r.headers(h -> h.put("Idempotency-Key", run + "-" + i));
              var unused =
                  http.send(r, false)
                      .whenComplete(
                          (answer, failure) -> {
                            if (failure != null || !answer.isSuccess()) {
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
