package io.auditpipe.bench.delivery;

import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.workos.ApiKey;
import io.auditpipe.workos.AuditLogClient;
import io.auditpipe.workos.DeliveryListener;
import io.auditpipe.workos.DeliveryOutcome;
import io.auditpipe.workos.WorkOsClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code bench/ratelimit.sh}'s client side: {@code CLIENTS} clients sharing one API key's budget
 * ({@code shareCount = CLIENTS}) push {@code EVENTS} events in all, each from its own thread, as
 * fast as their rate limiters let them. With {@code skewed}, client 0 pushes every event and the
 * others stay idle (the load of {@code tasks.max=2} when one task owns every busy partition).
 * Prints a {@code MEASURE_RATELIMIT} line.
 *
 * <pre>
 * RateLimitRun BASE_URL API_KEY EVENTS CLIENTS REQUESTS_PER_MINUTE SAFETY_MARGIN [even|skewed
 *   [MAX_IN_FLIGHT]]
 * </pre>
 */
public final class RateLimitRun {

  private RateLimitRun() {}

  public static void main(String[] args) throws Exception {
    String baseUrl = args[0];
    String apiKey = args[1];
    int events = Integer.parseInt(args[2]);
    int clients = Integer.parseInt(args[3]);
    int perMinute = Integer.parseInt(args[4]);
    double margin = Double.parseDouble(args[5]);
    boolean skewed = args.length > 6 && args[6].equals("skewed");
    int maxInFlight = args.length > 7 ? Integer.parseInt(args[7]) : 64;
    String run = UUID.randomUUID().toString().substring(0, 8);

    LongAdder requests = new LongAdder();
    LongAdder throttled = new LongAdder();
    LongAdder delivered = new LongAdder();
    LongAdder lost = new LongAdder();
    DeliveryListener counting =
        new DeliveryListener() {
          @Override
          public void responseReceived(int status, Duration latency) {
            requests.increment();
            if (status == 429) {
              throttled.increment();
            }
          }
        };
    WorkOsClientConfig config =
        WorkOsClientConfig.builder(ApiKey.of(apiKey))
            .baseUrl(baseUrl)
            .requestsPerMinute(perMinute)
            .safetyMargin(margin)
            .shareCount(clients)
            .maxInFlight(maxInFlight)
            .maxAttempts(10)
            .totalDeadline(Duration.ofMinutes(10))
            .build();
    AuditEvent event = ReferenceEvent.event();
    List<AuditLogClient> all = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      all.add(AuditLogClient.builder(config).listener(counting).build());
    }
    List<Thread> producers = new ArrayList<>();
    List<CompletableFuture<?>> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      AuditLogClient client = all.get(c);
      int share =
          skewed ? (c == 0 ? events : 0) : events / clients + (c < events % clients ? 1 : 0);
      String prefix = run + "-c" + c + "-";
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; i < share; i++) {
                  outcomes.add(
                      client
                          .send(event, prefix + i)
                          .thenAccept(
                              o -> {
                                if (o instanceof DeliveryOutcome.Delivered) {
                                  delivered.increment();
                                } else {
                                  lost.increment();
                                  System.err.println("not delivered: " + o);
                                }
                              }));
                }
              },
              "producer-" + c);
      t.start();
      producers.add(t);
    }
    for (Thread t : producers) {
      t.join();
    }
    CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).join();
    double seconds = (System.nanoTime() - t0) / 1e9;
    all.forEach(AuditLogClient::close);

    double limitRps = perMinute / 60.0;
    double deliveredRps = delivered.sum() / seconds;
    System.out.println(
        String.format(
            Locale.ROOT,
            "MEASURE_RATELIMIT events=%d delivered=%d lost=%d requests=%d throttled=%d"
                + " seconds=%.1f limit_rps=%.1f delivered_rps=%.2f utilisation=%.3f"
                + " throttled_share=%.4f",
            events,
            delivered.sum(),
            events - delivered.sum(),
            requests.sum(),
            throttled.sum(),
            seconds,
            limitRps,
            deliveredRps,
            deliveredRps / limitRps,
            requests.sum() == 0 ? 0.0 : throttled.sum() / (double) requests.sum()));
  }
}
