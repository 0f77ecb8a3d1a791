package io.auditpipe.workos.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One API key's request budget as seen from this JVM, divided among the limiters ({@link
 * AimdRateLimiter}s) of every client here that uses the key, by demand.
 *
 * <p><b>Division.</b> Max-min fair by demand, recomputed on every reservation: a participant that
 * had to book ahead within the last {@link #BUSY_HOLD} is busy (wants more than it has); any other
 * asks for 1.5 times its recent rate, and nothing once it has not asked for {@link #IDLE_AFTER}.
 * Busy participants share what the others leave, equally; what nobody asks for is spread over all.
 * So busy participants get fair shares, a lone busy one the whole budget, and an idle one that
 * starts asking becomes busy with its first booked request and gets its share from then on.
 *
 * <p><b>Participants elsewhere.</b> {@code shareCount} says how many clients share the key in all
 * (a connector's {@code tasks.max}); those not registered here may run in other JVMs, so their
 * equal shares are left to them at first. A busy participant probes into that remainder additively
 * (10% of an equal share per second) while WorkOS does not throttle, and gives it back
 * multiplicatively on a 429: the AIMD that lets tasks of different workers converge on the whole
 * limit between them. A 429 while probing gives the probe back at once and stops probing for {@link
 * #PROBE_HOLD}. The probe decays again while nobody here is busy.
 *
 * <p><b>Throttling.</b> A 429 lowers the budget once per cooldown (the answers to requests already
 * in flight arrive together): the probe if there is one, else the JVM's own part is multiplied by
 * the decrease factor down to the floor; it pauses every participant for the server's {@code
 * Retry-After}, since WorkOS limits the key, not the client; from then on the budget grows back by
 * the recovery rate each second.
 *
 * <p>Thread-safe: one lock per budget. The JVM-wide registry ({@link #join}) holds a budget while
 * it has participants.
 */
final class SharedBudget {

  /**
   * How much sending time a busy participant that ran dry may make up: when every request it may
   * have in flight waits for an answer (a slow answer, a loaded machine), its next free slot falls
   * behind; the permits it could not use then are stored, up to this much, instead of the idle
   * burst. A bound well within the safety margin of WorkOS's 60 s window (2% is 1.2 s).
   */
  static final Duration CATCH_UP = Duration.ofMillis(500);

  /** How long after its last booked-ahead request a ran-dry participant may still catch up. */
  static final Duration CATCH_UP_AFTER_BUSY = Duration.ofSeconds(5);

  /** How long after its last booked-ahead request a participant counts as busy. */
  static final Duration BUSY_HOLD = Duration.ofSeconds(1);

  /** How long after its last request a participant counts as idle (asking for nothing). */
  static final Duration IDLE_AFTER = Duration.ofSeconds(2);

  /** The time constant of a participant's measured rate. */
  static final double RATE_TAU_SECONDS = 1.0;

  /** How much more than its measured rate a participant that is not busy is given room for. */
  static final double HEADROOM = 1.5;

  /**
   * How long probing into other JVMs' shares stops after a 429 answered it: WorkOS counts requests
   * in fixed windows, so an overshoot shows only once a window is spent, and every request booked
   * by then is throttled; probing again at once would repeat that every window or two.
   */
  static final Duration PROBE_HOLD = Duration.ofMinutes(5);

  private static final Map<Key, SharedBudget> REGISTRY = new HashMap<>();

  private record Key(String id, Clock clock) {}

  private final Key key;
  private final Clock clock;
  private final double floorFraction;
  private final double decreaseFactor;
  private final double recoveryFraction;
  private final long cooldownNanos;
  private final double burstSeconds;
  private final List<AimdRateLimiter> participants = new ArrayList<>();

  private double local;
  private double remote;
  private double equal;

  // AIMD state: the JVM's budget is local * factor + probe.
  private double factor = 1;
  private double probe;
  private long lastRecoveryNanos;
  private long lastDecreaseNanos = Long.MIN_VALUE / 2;
  private long pauseUntilNanos = Long.MIN_VALUE / 2;
  private long probeHoldUntilNanos = Long.MIN_VALUE / 2;

  SharedBudget(
      Key key,
      Clock clock,
      double floorFraction,
      double decreaseFactor,
      double recoveryFraction,
      Duration decreaseCooldown,
      Duration burst) {
    this.key = key;
    this.clock = clock;
    this.floorFraction = floorFraction;
    this.decreaseFactor = decreaseFactor;
    this.recoveryFraction = recoveryFraction;
    this.cooldownNanos = decreaseCooldown.toNanos();
    this.burstSeconds = burst.toNanos() / 1e9;
    this.lastRecoveryNanos = nowNanos();
  }

  /** A budget of its own, for one limiter. */
  static SharedBudget alone(
      Clock clock,
      double floorFraction,
      double decreaseFactor,
      double recoveryFraction,
      Duration decreaseCooldown,
      Duration burst) {
    return new SharedBudget(
        null, clock, floorFraction, decreaseFactor, recoveryFraction, decreaseCooldown, burst);
  }

  /**
   * Makes {@code participant} join the budget of {@code id} (a base URL and key digest) in this JVM
   * on {@code clock}, created with the default AIMD settings when no participant holds it. Atomic
   * with the last participant's leaving, so a key never has two budgets in one JVM.
   */
  static <T> T join(String id, Clock clock, Function<SharedBudget, T> participant) {
    Key key = new Key(id, clock);
    synchronized (REGISTRY) {
      SharedBudget budget =
          REGISTRY.computeIfAbsent(
              key,
              k ->
                  new SharedBudget(
                      k, clock, 0.05, 0.5, 0.10, Duration.ofSeconds(1), Duration.ofMillis(100)));
      return participant.apply(budget);
    }
  }

  /** Participants of the budget of {@code id} in this JVM (for tests). */
  static int participants(String id, Clock clock) {
    synchronized (REGISTRY) {
      SharedBudget budget = REGISTRY.get(new Key(id, clock));
      if (budget == null) {
        return 0;
      }
      synchronized (budget) {
        return budget.participants.size();
      }
    }
  }

  double burstSeconds() {
    return burstSeconds;
  }

  synchronized void add(AimdRateLimiter participant) {
    participants.add(participant);
    derive();
  }

  void remove(AimdRateLimiter participant) {
    if (key == null) {
      synchronized (this) {
        participants.remove(participant);
        derive();
      }
      return;
    }
    synchronized (REGISTRY) {
      synchronized (this) {
        participants.remove(participant);
        derive();
        if (participants.isEmpty()) {
          REGISTRY.remove(key, this);
        }
      }
    }
  }

  private void derive() {
    if (participants.isEmpty()) {
      return;
    }
    double t = Double.POSITIVE_INFINITY;
    int expected = 1;
    for (AimdRateLimiter p : participants) {
      t = Math.min(t, p.totalPerSecond());
      expected = Math.max(expected, p.shareCount());
    }
    int here = participants.size();

    equal = t / Math.max(expected, here);
    local = equal * Math.min(expected, here);
    if (here >= expected) {
      local = t;
    }
    remote = Math.max(0, t - local);
    probe = Math.min(probe, remote);
  }

  // ---- called by participants, under this budget's lock ----

  synchronized Duration reserve(AimdRateLimiter p) {
    long now = nowNanos();
    recover(now);
    p.asked(now);
    double rate = allocation(p, now);
    boolean catchUp = now - p.lastBusyNanos() < CATCH_UP_AFTER_BUSY.toNanos();
    p.refill(now, rate, catchUp ? Math.max(burstSeconds, CATCH_UP.toNanos() / 1e9) : burstSeconds);
    if (p.nextFreeNanos() < pauseUntilNanos) {
      p.pauseUntil(pauseUntilNanos);
    }
    if (p.takeStored(now)) {
      return Duration.ZERO;
    }
    p.markBusy(now);
    rate = allocation(p, now);
    return Duration.ofNanos(p.book(now, rate, pauseUntilNanos));
  }

  synchronized void accepted() {
    recover(nowNanos());
  }

  synchronized boolean throttled(Optional<Duration> retryAfter) {
    long now = nowNanos();
    boolean decreased = false;
    if (now - lastDecreaseNanos >= cooldownNanos) {
      recover(now);
      if (probe > 0) {
        // The other JVMs use their shares: leave them alone for a while.
        probe = 0;
        probeHoldUntilNanos = now + PROBE_HOLD.toNanos();
      } else {
        factor = Math.max(floorFraction, factor * decreaseFactor);
      }
      lastDecreaseNanos = now;
      decreased = true;
    }
    long pauseUntil = now + retryAfter.map(Duration::toNanos).orElse(0L);
    pauseUntilNanos = Math.max(pauseUntilNanos, pauseUntil);
    // Recovery starts after the pause: growing while nothing may be sent would only overshoot.
    lastRecoveryNanos = Math.max(lastRecoveryNanos, pauseUntil);
    for (AimdRateLimiter participant : participants) {
      participant.dropStored();
    }
    return decreased;
  }

  synchronized double ratePerSecond(AimdRateLimiter p) {
    long now = nowNanos();
    recover(now);
    return allocation(p, now);
  }

  /** What this JVM may send in all now, in requests per second. */
  synchronized double levelPerSecond() {
    recover(nowNanos());
    return level();
  }

  private double level() {
    return local * factor + probe;
  }

  private void recover(long now) {
    if (now <= lastRecoveryNanos) {
      return;
    }
    double seconds = (now - lastRecoveryNanos) / 1e9;
    lastRecoveryNanos = now;
    if (factor < 1) {
      factor = Math.min(1, factor + recoveryFraction * seconds);
      return;
    }
    if (remote <= 0) {
      return;
    }
    double step = recoveryFraction * equal * seconds;
    if (anyBusy(now) && now >= probeHoldUntilNanos) {
      probe = Math.min(remote, probe + step);
    } else {
      probe = Math.max(0, probe - step);
    }
  }

  private boolean anyBusy(long now) {
    for (AimdRateLimiter p : participants) {
      if (p.busy(now)) {
        return true;
      }
    }
    return false;
  }

  /** Water-filling of the JVM's level over the participants' demands; {@code p}'s part. */
  private double allocation(AimdRateLimiter p, long now) {
    double level = level();
    int n = participants.size();
    if (n <= 1) {
      return level;
    }
    double[] demand = new double[n];
    double pDemand = 0;
    for (int i = 0; i < n; i++) {
      AimdRateLimiter q = participants.get(i);
      demand[i] = q.demand(now);
      if (q == p) {
        pDemand = demand[i];
      }
    }
    double[] sorted = demand.clone();
    Arrays.sort(sorted);
    double remaining = level;
    double waterline = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double fair = remaining / (n - i);
      if (sorted[i] >= fair) {
        waterline = fair;
        break;
      }
      remaining -= sorted[i];
    }
    if (waterline != Double.POSITIVE_INFINITY) {
      return Math.min(pDemand, waterline);
    }
    // Every demand is met: spread what is left over everyone.
    return pDemand + remaining / n;
  }

  private long nowNanos() {
    Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
