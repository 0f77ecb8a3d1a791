package io.auditpipe.connect.delivery;

import io.auditpipe.connect.config.OutageBehavior;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.DeadLetterReasons;
import io.auditpipe.core.deadletter.FailureStage;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.core.rules.OrganizationRef;
import io.auditpipe.workos.AuditLogClient;
import io.auditpipe.workos.DeliveryFormat;
import io.auditpipe.workos.DeliveryOutcome;
import io.auditpipe.workos.api.LookupOutcome;
import io.auditpipe.workos.api.OrganizationLookup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Hands mapped events to WorkOS without ever blocking the task thread: events wait in a queue until
 * the client has a free in-flight slot; an event whose organization is an external id is first
 * resolved through the {@link OrganizationLookup} (cached, paced by the same budget). When every
 * event of a record has its outcome, the record is resolved in the {@link OffsetTracker}, or queued
 * for dead-lettering (which the task thread does). Thread-safe.
 *
 * <p>Faults are sorted by whose they are:
 *
 * <ul>
 *   <li>the record's own ({@code Rejected} events, refused lookups): its record is dead-lettered;
 *   <li>nobody's (408, 429, 5xx, I/O errors, timeouts after the client's retries): the event goes
 *       back to the end of the queue with its idempotency key, and {@link WorkOsAvailability} stops
 *       sending after a few such failures in a row, probing until WorkOS answers. An event that
 *       keeps failing while WorkOS delivers others is a poison event: after {@link
 *       OutagePolicy#poisonTimeout()} its record is dead-lettered with the cause. Only an explicit
 *       {@code fail} or {@code dlq} outage bound ends the wait;
 *   <li>the configuration's (401/403, a 404 of the route): nothing more is sent, the record stays
 *       unresolved (no offset passes it) and {@link #fatal()} names the key to fix.
 * </ul>
 */
public final class DeliveryPipeline {

  /** A record whose events failed, to be dead-lettered on the task thread. */
  public record Failed(SinkRecord record, OffsetTracker.Entry entry, DeadLetter deadLetter) {}

  /** Events in a row that failed transiently, after their retries, before WorkOS counts as down. */
  static final int FAILURE_THRESHOLD = 3;

  private final AuditLogClient client;
  private final Optional<OrganizationLookup> lookups;
  private final OffsetTracker tracker;
  private final OutagePolicy policy;
  private final WorkOsAvailability availability;
  private final Clock clock;
  private final String baseUrl;
  private final String eventsUrl;
  private final int maxParkedLookups;
  private final ConcurrentLinkedDeque<PendingEvent> queue = new ConcurrentLinkedDeque<>();

  /** Records handed over and not yet done: at most the task's buffer bound. */
  private final Set<RecordInFlight> undone = ConcurrentHashMap.newKeySet();

  private final ConcurrentLinkedQueue<Failed> failed = new ConcurrentLinkedQueue<>();
  private final AtomicReference<String> fatal = new AtomicReference<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger parked = new AtomicInteger();
  private final Object sendLock = new Object();
  private boolean probeToken;
  private volatile boolean closing;

  /**
   * @param lookups resolves external ids; empty when no rule needs it
   * @param probeBackoff the wait before the first probe of an unavailable WorkOS
   * @param maxProbeBackoff the longest wait between probes
   */
  public DeliveryPipeline(
      AuditLogClient client,
      Optional<OrganizationLookup> lookups,
      OffsetTracker tracker,
      OutagePolicy policy,
      Duration probeBackoff,
      Duration maxProbeBackoff,
      Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.lookups = Objects.requireNonNull(lookups, "lookups");
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.availability =
        new WorkOsAvailability(FAILURE_THRESHOLD, probeBackoff, maxProbeBackoff, clock);
    this.baseUrl = client.config().baseUrl().toString();
    this.eventsUrl =
        baseUrl
            + (client.config().format() == DeliveryFormat.AUDIT_LOGS
                ? "/audit_logs/events"
                : "/events");
    this.maxParkedLookups = client.config().maxInFlight();
  }

  /** Queues the events of a record taken as {@code entry}, and sends what the client can take. */
  public void submit(SinkRecord record, OffsetTracker.Entry entry, List<MappedEvent> events) {
    RecordInFlight inFlight = new RecordInFlight(record, entry, events.size(), clock.instant());
    undone.add(inFlight);
    for (MappedEvent event : events) {
      if (event.needsOrganizationLookup() && lookups.isEmpty()) {
        throw new IllegalStateException("an external-id organization without a lookup");
      }
      queue.addLast(new PendingEvent(inFlight, event));
      queued.incrementAndGet();
    }
  }

  /**
   * Sends queued events while the client has free slots and WorkOS is available (or a probe is
   * due); applies the outage bound. Never blocks.
   */
  public void drain() {
    synchronized (sendLock) {
      if (closing || fatal.get() != null) {
        return;
      }
      if (!availability.available() && policy.boundPassed(availability.unavailableFor())) {
        if (policy.behavior() == OutageBehavior.FAIL) {
          fatal.compareAndSet(
              null,
              availability.describeOutage()
                  + " for longer than auditpipe.outage.max.duration.ms="
                  + policy.maxDuration().toMillis()
                  + " under auditpipe.outage.behavior=fail. Nothing was dead-lettered and no"
                  + " offset passed a record not delivered: restart the task once WorkOS is"
                  + " reachable, or set auditpipe.outage.behavior=wait to wait for it.");
          return;
        }
        PendingEvent p;
        while ((p = queue.pollFirst()) != null) {
          queued.decrementAndGet();
          outageDeadLetter(p, OptionalInt.empty());
        }
      }
      PendingEvent next;
      while (!closing && fatal.get() == null && (next = queue.peekFirst()) != null) {
        if (tracker.isDiscarded(next.record.entry)) {
          queue.pollFirst();
          queued.decrementAndGet();
          undone.remove(next.record);
          continue;
        }
        boolean probe = false;
        if (availability.available()) {
          probeToken = false;
        } else {
          if (!probeToken && !availability.tryStartProbe()) {
            return;
          }
          probeToken = true;
          probe = true;
        }
        if (next.event.organization() instanceof OrganizationRef.ExternalId ref) {
          if (parked.get() >= maxParkedLookups) {
            return;
          }
          CompletableFuture<LookupOutcome> lookup = lookups.get().byExternalId(ref.externalId());
          queue.pollFirst();
          queued.decrementAndGet();
          if (lookup.isDone()) {
            // A cached answer: no request was made, so a probe is still to be sent.
            LookupOutcome outcome = lookup.join();
            onLookup(next, outcome, false);
            if (outcome instanceof LookupOutcome.Unavailable) {
              return;
            }
            continue;
          }
          parked.incrementAndGet();
          PendingEvent event = next;
          var unused =
              lookup.whenComplete(
                  (outcome, error) -> {
                    parked.decrementAndGet();
                    onLookup(
                        event,
                        error == null
                            ? outcome
                            : new LookupOutcome.Unavailable(
                                error.getClass().getSimpleName(), OptionalInt.empty()),
                        true);
                    drain();
                  });
          if (probe) {
            probeToken = false;
            return;
          }
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
        var unused = sent.get().thenAccept(outcome -> onOutcome(event, outcome));
        if (probe) {
          probeToken = false;
          return;
        }
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

  /** Why the task must fail: a configuration fault, or an outage past a {@code fail} bound. */
  public Optional<String> fatal() {
    return Optional.ofNullable(fatal.get());
  }

  /** Whether WorkOS is available, and since when it has not been. */
  public WorkOsAvailability availability() {
    return availability;
  }

  /** How long the oldest record handed to the pipeline has waited for all its outcomes. */
  public Duration oldestUndeliveredAge() {
    Instant oldest = null;
    undone.removeIf(r -> tracker.isDiscarded(r.entry));
    for (RecordInFlight r : undone) {
      if (oldest == null || r.submitted.isBefore(oldest)) {
        oldest = r.submitted;
      }
    }
    return oldest == null ? Duration.ZERO : Duration.between(oldest, clock.instant());
  }

  /** Events waiting for an in-flight slot (or for WorkOS to be available). */
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
    lookups.ifPresent(OrganizationLookup::close);
  }

  private void onOutcome(PendingEvent event, DeliveryOutcome outcome) {
    if (closing) {
      return;
    }
    if (outcome instanceof DeliveryOutcome.Delivered) {
      availability.onAnswer();
      eventDone(event);
    } else if (outcome instanceof DeliveryOutcome.Rejected r) {
      availability.onAnswer();
      event.record.fail(
          new DeadLetter(
              FailureStage.DELIVER,
              event.event.rule(),
              DeadLetterReasons.rejected(r.summary()),
              OptionalInt.of(r.status()),
              r.code(),
              r.requestId()));
      eventDone(event);
    } else if (outcome instanceof DeliveryOutcome.Misconfigured m) {
      misconfigured(m.status(), m.message(), m.requestId(), "POST " + eventsUrl);
    } else if (outcome instanceof DeliveryOutcome.Exhausted x) {
      transientFailure(event, FailureStage.DELIVER, x.lastCause(), x.lastStatus());
    }
    drain();
  }

  /**
   * @param fresh whether WorkOS answered just now (a cached answer says nothing about whether it is
   *     available)
   */
  private void onLookup(PendingEvent event, LookupOutcome outcome, boolean fresh) {
    if (closing) {
      return;
    }
    if (fresh
        && (outcome instanceof LookupOutcome.Found || outcome instanceof LookupOutcome.Refused)) {
      availability.onAnswer();
    }
    if (outcome instanceof LookupOutcome.Found found) {
      requeueFirst(event.resolved(found.organizationId()));
    } else if (outcome instanceof LookupOutcome.Refused r) {
      event.record.fail(
          new DeadLetter(
              FailureStage.LOOKUP,
              event.event.rule(),
              (r.status() == 404
                      ? "WorkOS has no organization with the record's external id: "
                      : "WorkOS refused to look the record's external id up: ")
                  + r.message(),
              OptionalInt.of(r.status()),
              r.code(),
              r.requestId()));
      eventDone(event);
    } else if (outcome instanceof LookupOutcome.Misconfigured m) {
      misconfigured(
          m.status(),
          m.message(),
          m.requestId(),
          "GET " + baseUrl + "/organizations/external_id/…");
    } else if (outcome instanceof LookupOutcome.Unavailable u) {
      transientFailure(
          event, FailureStage.LOOKUP, "organization lookup: " + u.lastCause(), u.lastStatus());
    }
  }

  /** A transient failure after the client's retries: wait for WorkOS, or give up on a poison. */
  private void transientFailure(
      PendingEvent event, FailureStage stage, String cause, OptionalInt status) {
    availability.onTransientFailure(cause);
    if (!availability.available()) {
      if (policy.behavior() == OutageBehavior.DLQ
          && policy.boundPassed(availability.unavailableFor())) {
        outageDeadLetter(event, status);
        return;
      }
      // Time in an outage is nobody's fault: it does not count towards the poison timeout.
      event.failingSince = null;
      requeueLast(event);
      return;
    }
    Instant now = clock.instant();
    Instant since = event.failingSince;
    if (since == null || since.isBefore(availability.availableSince())) {
      since = now;
      event.failingSince = now;
    }
    Duration failing = Duration.between(since, now);
    if (failing.compareTo(policy.poisonTimeout()) >= 0) {
      event.record.fail(
          new DeadLetter(
              stage,
              event.event.rule(),
              "kept failing transiently for "
                  + WorkOsAvailability.human(failing)
                  + " while WorkOS was available (auditpipe.poison.event.timeout.ms="
                  + policy.poisonTimeout().toMillis()
                  + "); last cause: "
                  + cause,
              status,
              Optional.empty(),
              Optional.empty()));
      eventDone(event);
      return;
    }
    // Behind the others: they keep flowing past an event that fails alone.
    requeueLast(event);
  }

  private void outageDeadLetter(PendingEvent event, OptionalInt status) {
    event.record.fail(
        new DeadLetter(
            event.event.needsOrganizationLookup() ? FailureStage.LOOKUP : FailureStage.DELIVER,
            event.event.rule(),
            availability.describeOutage()
                + " for longer than auditpipe.outage.max.duration.ms="
                + policy.maxDuration().toMillis()
                + " (auditpipe.outage.behavior=dlq)",
            status,
            Optional.empty(),
            Optional.empty()));
    eventDone(event);
  }

  private void misconfigured(int status, String message, Optional<String> requestId, String call) {
    String answer =
        "HTTP " + status + ": " + message + requestId.map(r -> ", request id " + r).orElse("");
    String what =
        status == 401 || status == 403
            ? "WorkOS refused the API key ("
                + answer
                + "): check workos.api.key — it must be a secret key (sk_…) of the WorkOS"
                + " environment the events belong to, with access to Audit Logs"
            : status != 404
                // Status 0: the proxy or TLS settings; the message names the key to fix.
                ? message
                : "WorkOS answered "
                    + answer
                    + " to "
                    + call
                    + ", a route it does not have: check workos.base.url (found "
                    + baseUrl
                    + "; it is the API's root, such as https://api.workos.com, without a path)";
    fatal.compareAndSet(
        null,
        what
            + ". Nothing was dead-lettered and no offset passed a record not delivered: fix the"
            + " configuration and restart the task.");
  }

  private void requeueFirst(PendingEvent event) {
    if (tracker.isDiscarded(event.record.entry)) {
      undone.remove(event.record);
      return;
    }
    // Under the send lock: drain() peeks at the head and then polls it, which must be the same.
    synchronized (sendLock) {
      queue.addFirst(event);
      queued.incrementAndGet();
    }
  }

  private void requeueLast(PendingEvent event) {
    if (tracker.isDiscarded(event.record.entry)) {
      undone.remove(event.record);
      return;
    }
    queue.addLast(event);
    queued.incrementAndGet();
  }

  private void eventDone(PendingEvent event) {
    RecordInFlight record = event.record;
    if (record.remaining.decrementAndGet() == 0) {
      DeadLetter deadLetter = record.failure.get();
      if (deadLetter == null) {
        tracker.resolve(record.entry);
      } else if (!tracker.isDiscarded(record.entry)) {
        failed.add(new Failed(record.record, record.entry, deadLetter));
      }
      undone.remove(record);
    }
  }

  private static final class RecordInFlight {
    final SinkRecord record;
    final OffsetTracker.Entry entry;
    final AtomicInteger remaining;
    final Instant submitted;
    final AtomicReference<DeadLetter> failure = new AtomicReference<>();

    RecordInFlight(SinkRecord record, OffsetTracker.Entry entry, int events, Instant submitted) {
      this.record = record;
      this.entry = entry;
      this.remaining = new AtomicInteger(events);
      this.submitted = submitted;
    }

    void fail(DeadLetter deadLetter) {
      failure.compareAndSet(null, deadLetter);
    }
  }

  /** One event on its way; its organization may be resolved and its failures timed. */
  private static final class PendingEvent {
    final RecordInFlight record;
    final MappedEvent event;
    volatile Instant failingSince;

    PendingEvent(RecordInFlight record, MappedEvent event) {
      this.record = record;
      this.event = event;
    }

    PendingEvent resolved(String organizationId) {
      PendingEvent p = new PendingEvent(record, event.withOrganizationId(organizationId));
      p.failingSince = failingSince;
      return p;
    }
  }
}
