package io.auditpipe.connect.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker over WorkOS as a whole. Available (closed) while WorkOS answers; after {@code
 * failureThreshold} transient failures in a row with no answer between them it turns unavailable
 * (open): nothing is sent until a probe is due, then one request may go as the probe (half-open).
 * The probe's success, or any answer from WorkOS, makes it available again; its failure doubles the
 * wait before the next probe, up to {@code maxProbeBackoff}. Each change between available and
 * unavailable is logged once at WARN. Thread-safe.
 */
public final class WorkOsAvailability {

  private static final Logger log = LoggerFactory.getLogger(WorkOsAvailability.class);

  /** Where the breaker stands. */
  public enum State {
    /** WorkOS answers: send. */
    AVAILABLE,
    /** WorkOS is unavailable: send nothing until a probe is due. */
    UNAVAILABLE,
    /** WorkOS is unavailable and one probe is under way. */
    PROBING
  }

  private final int failureThreshold;
  private final Duration firstProbeBackoff;
  private final Duration maxProbeBackoff;
  private final Clock clock;

  private State state = State.AVAILABLE;
  private int consecutiveFailures;
  private Instant availableSince;
  private Instant unavailableSince;
  private Instant nextProbe;
  private Duration probeBackoff;
  private String lastCause = "";
  private long outages;
  private Duration pastOutages = Duration.ZERO;

  public WorkOsAvailability(
      int failureThreshold, Duration firstProbeBackoff, Duration maxProbeBackoff, Clock clock) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException(
          "failureThreshold: expected at least 1, found " + failureThreshold);
    }
    this.failureThreshold = failureThreshold;
    this.firstProbeBackoff = Objects.requireNonNull(firstProbeBackoff, "firstProbeBackoff");
    this.maxProbeBackoff = Objects.requireNonNull(maxProbeBackoff, "maxProbeBackoff");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.availableSince = clock.instant();
  }

  /** WorkOS answered a request (a success, or a final answer about that request). */
  public synchronized void onAnswer() {
    consecutiveFailures = 0;
    if (state != State.AVAILABLE) {
      Instant now = clock.instant();
      Duration down = Duration.between(unavailableSince, now);
      pastOutages = pastOutages.plus(down);
      log.warn(
          "WorkOS available again after {} (unavailable since {}); delivery resumes",
          human(down),
          unavailableSince);
      state = State.AVAILABLE;
      availableSince = now;
      unavailableSince = null;
    }
  }

  /** A request failed transiently (408, 429, 5xx, I/O error, timeout) after its retries. */
  public synchronized void onTransientFailure(String cause) {
    lastCause = Objects.requireNonNull(cause, "cause");
    consecutiveFailures++;
    Instant now = clock.instant();
    if (state == State.PROBING) {
      state = State.UNAVAILABLE;
      probeBackoff = min(probeBackoff.multipliedBy(2), maxProbeBackoff);
      nextProbe = now.plus(probeBackoff);
      log.debug("WorkOS probe failed ({}); next probe in {}", cause, probeBackoff);
    } else if (state == State.AVAILABLE && consecutiveFailures >= failureThreshold) {
      state = State.UNAVAILABLE;
      unavailableSince = now;
      outages++;
      probeBackoff = min(firstProbeBackoff, maxProbeBackoff);
      nextProbe = now.plus(probeBackoff);
      log.warn(
          "WorkOS unavailable since {} (last cause {}); delivery paused, probing every {} at most",
          now,
          cause,
          human(maxProbeBackoff));
    }
  }

  /** Whether events may be sent freely. */
  public synchronized boolean available() {
    return state == State.AVAILABLE;
  }

  /**
   * Whether a probe may be sent now; if so, the breaker is half-open until that probe's outcome
   * ({@link #onAnswer} or {@link #onTransientFailure}).
   */
  public synchronized boolean tryStartProbe() {
    if (state == State.UNAVAILABLE && !clock.instant().isBefore(nextProbe)) {
      state = State.PROBING;
      return true;
    }
    return false;
  }

  public synchronized State state() {
    return state;
  }

  /** Since when WorkOS has been available (the start, or the end of the last outage). */
  public synchronized Instant availableSince() {
    return availableSince;
  }

  /** How long the current outage has lasted; zero while available. */
  public synchronized Duration unavailableFor() {
    return unavailableSince == null
        ? Duration.ZERO
        : Duration.between(unavailableSince, clock.instant());
  }

  /** "WorkOS unavailable since … (last cause …)", for messages and dead-letter reasons. */
  public synchronized String describeOutage() {
    return "WorkOS unavailable since "
        + (unavailableSince == null ? clock.instant() : unavailableSince)
        + " (last cause "
        + lastCause
        + ")";
  }

  /** Outages begun so far. */
  public synchronized long outages() {
    return outages;
  }

  /** Time WorkOS has been unavailable in all, the current outage included. */
  public synchronized Duration unavailableTotal() {
    return unavailableSince == null
        ? pastOutages
        : pastOutages.plus(Duration.between(unavailableSince, clock.instant()));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** A duration to the second (to the millisecond below one second), as {@code 2m5s}. */
  static String human(Duration d) {
    Duration t = d.compareTo(Duration.ofSeconds(1)) < 0 ? d : d.truncatedTo(ChronoUnit.SECONDS);
    return t.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
