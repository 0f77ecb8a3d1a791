package io.auditpipe.bench.delivery;

import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.workos.AuditLogClient;
import io.auditpipe.workos.DeliveryOutcome;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds a client the way the connector's {@code DeliveryPipeline} does: {@code trySend} while the
 * client has a free slot, then one more from each outcome's callback, on the thread that completed
 * it. No thread waits for a slot, so the harness adds no wake-up per event that production does not
 * have (a caller blocked in {@code send} is woken once per freed slot).
 */
final class ConnectorFeed {

  private final AuditLogClient client;
  private final AuditEvent event;
  private final int events;
  private final String prefix;
  private final AtomicLong failures = new AtomicLong();
  private final CountDownLatch outcomes;
  private int next;

  private ConnectorFeed(AuditLogClient client, AuditEvent event, int events, String prefix) {
    this.client = client;
    this.event = event;
    this.events = events;
    this.prefix = prefix;
    this.outcomes = new CountDownLatch(events);
  }

  /**
   * Sends {@code events} copies of {@code event}, each with its own key ({@code prefix-i}), and
   * waits for every outcome.
   *
   * @return how many were not delivered
   */
  static long deliver(AuditLogClient client, AuditEvent event, int events, String prefix)
      throws InterruptedException {
    ConnectorFeed feed = new ConnectorFeed(client, event, events, prefix);
    feed.drain();
    feed.outcomes.await();
    return feed.failures.get();
  }

  private synchronized void drain() {
    while (next < events) {
      Optional<CompletableFuture<DeliveryOutcome>> sent =
          client.trySend(event, prefix + "-" + next);
      if (sent.isEmpty()) {
        return;
      }
      next++;
      var unused = sent.get().thenAccept(this::onOutcome);
    }
  }

  private void onOutcome(DeliveryOutcome outcome) {
    if (!(outcome instanceof DeliveryOutcome.Delivered)) {
      failures.incrementAndGet();
    }
    outcomes.countDown();
    drain();
  }
}
