package io.auditpipe.connect.delivery;

import io.auditpipe.connect.config.ExhaustedBehavior;
import io.auditpipe.connect.dlq.DeadLetterReporter;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.DeadLetterReasons;
import io.auditpipe.core.deadletter.FailureStage;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.workos.AuditLogClient;
import io.auditpipe.workos.DeliveryOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Hands mapped events to the {@link AuditLogClient} without ever blocking the task thread: events
 * wait in a queue until the client has a free in-flight slot, and are sent as slots free up. When
 * every event of a record has its outcome, the record is resolved in the {@link OffsetTracker}, or
 * queued for dead-lettering (which the task thread does), or — when retries ran out and the
 * behaviour is {@code fail} — it stays unresolved and the pipeline turns fatal. Thread-safe.
 */
public final class DeliveryPipeline {

  /** A record whose events failed, to be dead-lettered on the task thread. */
  public record Failed(SinkRecord record, OffsetTracker.Entry entry, DeadLetter deadLetter) {}

  private final AuditLogClient client;
  private final OffsetTracker tracker;
  private final ExhaustedBehavior onExhausted;
  private final ConcurrentLinkedDeque<PendingEvent> queue = new ConcurrentLinkedDeque<>();
  private final ConcurrentLinkedQueue<Failed> failed = new ConcurrentLinkedQueue<>();
  private final AtomicReference<String> fatal = new AtomicReference<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Object sendLock = new Object();
  private volatile boolean closing;

  public DeliveryPipeline(
      AuditLogClient client, OffsetTracker tracker, ExhaustedBehavior onExhausted) {
    this.client = client;
    this.tracker = tracker;
    this.onExhausted = onExhausted;
  }

  /** Queues the events of a record taken as {@code entry}, and sends what the client can take. */
  public void submit(SinkRecord record, OffsetTracker.Entry entry, List<MappedEvent> events) {
    RecordInFlight inFlight = new RecordInFlight(record, entry, events.size());
    for (MappedEvent event : events) {
      queue.addLast(new PendingEvent(inFlight, event));
      queued.incrementAndGet();
    }
  }

  /** Sends queued events while the client has free slots; never blocks. */
  public void drain() {
    synchronized (sendLock) {
      PendingEvent next;
      while (!closing && (next = queue.peekFirst()) != null) {
        if (tracker.isDiscarded(next.record.entry)) {
          queue.pollFirst();
          queued.decrementAndGet();
          continue;
        }
        Optional<CompletableFuture<DeliveryOutcome>> sent;
        try {
          sent = client.trySend(next.event.event(), next.event.idempotencyKey());
        } catch (IllegalStateException e) {
          return;
        }
        if (sent.isEmpty()) {
          return;
        }
        queue.pollFirst();
        queued.decrementAndGet();
        PendingEvent event = next;
        sent.get().thenAccept(outcome -> onOutcome(event, outcome));
      }
    }
  }

  /** Records whose events failed since the last call, to dead-letter now. */
  public List<Failed> takeFailed() {
    List<Failed> out = new ArrayList<>();
    Failed f;
    while ((f = failed.poll()) != null) {
      out.add(f);
    }
    return out;
  }

  /** Why the task must fail, once an event's retries ran out under {@code fail}. */
  public Optional<String> fatal() {
    return Optional.ofNullable(fatal.get());
  }

  /** Events waiting for an in-flight slot. */
  public int queuedEvents() {
    return queued.get();
  }

  /** Events in progress at the client. */
  public int inFlight() {
    return client.inFlight();
  }

  /**
   * Stops sending; outcomes that arrive from now on (the client's "closed" answers included) are
   * ignored, leaving their records unresolved, so they are consumed again.
   */
  public void close() {
    closing = true;
    client.close();
  }

  private void onOutcome(PendingEvent event, DeliveryOutcome outcome) {
    if (closing) {
      return;
    }
    RecordInFlight record = event.record;
    if (outcome instanceof DeliveryOutcome.Rejected r) {
      record.fail(
          new DeadLetter(
              FailureStage.DELIVER,
              event.event.rule(),
              DeadLetterReasons.rejected(r.message() + describeErrors(r)),
              OptionalInt.of(r.status()),
              r.code(),
              r.requestId()));
    } else if (outcome instanceof DeliveryOutcome.Exhausted x) {
      String reason =
          "delivery retries exhausted after " + x.attempts() + " attempt(s): " + x.lastCause();
      if (onExhausted == ExhaustedBehavior.DLQ) {
        record.fail(
            new DeadLetter(
                FailureStage.DELIVER,
                event.event.rule(),
                reason,
                x.lastStatus(),
                Optional.empty(),
                Optional.empty()));
      } else {
        record.fatal = true;
        fatal.compareAndSet(
            null,
            DeadLetterReporter.coordinates(record.record)
                + ": "
                + reason
                + " (auditpipe.behavior.on.retries.exhausted=fail)");
      }
    }
    if (record.remaining.decrementAndGet() == 0 && !record.fatal) {
      DeadLetter deadLetter = record.failure.get();
      if (deadLetter == null) {
        tracker.resolve(record.entry);
      } else if (!tracker.isDiscarded(record.entry)) {
        failed.add(new Failed(record.record, record.entry, deadLetter));
      }
    }
    drain();
  }

  private static String describeErrors(DeliveryOutcome.Rejected r) {
    if (r.errors().isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(" (");
    int n = 0;
    for (var error : r.errors()) {
      if (n++ == 5) {
        out.append("; …");
        break;
      }
      if (n > 1) {
        out.append("; ");
      }
      String where =
          error.hasNonNull("field")
              ? error.get("field").asText()
              : error.path("instancePath").asText("");
      String what =
          error.hasNonNull("message")
              ? error.get("message").asText()
              : error.path("code").asText("");
      out.append(where).append(where.isEmpty() ? "" : ": ").append(what);
    }
    return out.append(')').toString();
  }

  private static final class RecordInFlight {
    final SinkRecord record;
    final OffsetTracker.Entry entry;
    final AtomicInteger remaining;
    final AtomicReference<DeadLetter> failure = new AtomicReference<>();
    volatile boolean fatal;

    RecordInFlight(SinkRecord record, OffsetTracker.Entry entry, int events) {
      this.record = record;
      this.entry = entry;
      this.remaining = new AtomicInteger(events);
    }

    void fail(DeadLetter deadLetter) {
      failure.compareAndSet(null, deadLetter);
    }
  }

  private record PendingEvent(RecordInFlight record, MappedEvent event) {}
}
