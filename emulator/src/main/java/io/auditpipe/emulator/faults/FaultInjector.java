package io.auditpipe.emulator.faults;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Random;

/**
 * Draws the fault for each API request from the current {@link FaultSettings}. Draws are serialised
 * so that a seed gives the same sequence; with no faults configured, {@link #decide()} takes no
 * lock.
 */
public final class FaultInjector {

  /** What to do with one request: wait {@code latencyMs} first, then the fault, if any. */
  public record Decision(long latencyMs, Optional<FaultKind> fault) {
    /** No fault, no latency. */
    public static final Decision NONE = new Decision(0, Optional.empty());
  }

  private volatile FaultSettings settings;
  private Random random;
  private int burstRemaining;
  private final Deque<FaultKind> script = new ArrayDeque<>();

  public FaultInjector(FaultSettings settings) {
    set(settings);
  }

  public FaultSettings settings() {
    return settings;
  }

  /** Replaces the settings, reseeds and restarts the script. */
  public synchronized void set(FaultSettings s) {
    this.random = new Random(s.seed());
    this.burstRemaining = 0;
    this.script.clear();
    this.script.addAll(s.next());
    this.settings = s;
  }

  public Decision decide() {
    if (!settings.active()) {
      return Decision.NONE;
    }
    return decideLocked();
  }

  private synchronized Decision decideLocked() {
    FaultSettings s = settings;
    long latency = 0;
    if (s.latencyMaxMs() > 0) {
      latency =
          s.latencyMinMs()
              + (s.latencyMaxMs() == s.latencyMinMs()
                  ? 0
                  : (long) (random.nextDouble() * (s.latencyMaxMs() - s.latencyMinMs() + 1)));
    }
    FaultKind scripted = script.poll();
    if (scripted != null) {
      if (script.isEmpty()) {
        settings = withoutScript(s);
      }
      return new Decision(latency, Optional.of(scripted));
    }
    if (burstRemaining > 0) {
      burstRemaining--;
      return new Decision(latency, Optional.of(FaultKind.THROTTLE_429));
    }
    double r = random.nextDouble();
    double edge = 0;
    FaultKind kind = null;
    if (r < (edge += s.status500Rate())) {
      kind = FaultKind.STATUS_500;
    } else if (r < (edge += s.status502Rate())) {
      kind = FaultKind.STATUS_502;
    } else if (r < (edge += s.status503Rate())) {
      kind = FaultKind.STATUS_503;
    } else if (r < (edge += s.throttleBurstRate())) {
      kind = FaultKind.THROTTLE_429;
      burstRemaining = s.throttleBurstLength() - 1;
    } else if (r < (edge += s.resetBeforeRate())) {
      kind = FaultKind.RESET_BEFORE;
    } else if (r < (edge += s.resetAfterRate())) {
      kind = FaultKind.RESET_AFTER;
    } else if (r < (edge += s.slowRate())) {
      kind = FaultKind.SLOW;
    }
    return new Decision(latency, Optional.ofNullable(kind));
  }

  private static FaultSettings withoutScript(FaultSettings s) {
    return s.withNext();
  }
}
