package io.auditpipe.workos.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A token bucket whose rate follows the demand of the clients sharing an API key and adapts to
 * throttling: additive increase, multiplicative decrease.
 *
 * <p>Each limiter is a participant of a {@link SharedBudget}: the key's budget in this JVM, which
 * every limiter {@link #sharing} the key joins and divides by demand (busy clients get fair shares,
 * a lone busy client the whole budget; shares of clients in other JVMs are probed into while WorkOS
 * does not throttle). A limiter built with {@link #withCeiling} or the constructor has a budget of
 * its own.
 *
 * <p>The bucket holds at most {@code burst} of stored permits, so a client that was idle cannot
 * storm the server. Permits are reserved, not polled: {@link #reserve()} books the next free slot
 * and returns the wait, so callers schedule instead of spinning. A 429 multiplies the budget by
 * {@code decreaseFactor} (once per {@code decreaseCooldown}) and pauses it for the server's {@code
 * Retry-After}; from then on it grows back by {@code recoveryPerSecond} permits/s each second.
 */
public final class AimdRateLimiter implements RateLimiter {

  private final SharedBudget budget;
  private final double totalPerSecond;
  private final int shareCount;

  // Guarded by the budget's lock.
  private double stored = 1;
  private long nextFreeNanos = Long.MIN_VALUE / 2;
  private double rateEstimate;
  private long rateEstimateNanos = Long.MIN_VALUE / 2;
  private long lastAskNanos = Long.MIN_VALUE / 2;
  private long lastBusyNanos = Long.MIN_VALUE / 2;
  private double bookedRate;
  private boolean closed;

  private AimdRateLimiter(SharedBudget budget, double totalPerSecond, int shareCount) {
    this.budget = budget;
    this.totalPerSecond = totalPerSecond;
    this.shareCount = shareCount;
    budget.add(this);
  }

  /**
   * A limiter with a budget of its own and the defaults: floor 5% of the ceiling, halving on 429,
   * recovery of 10% of the ceiling per second (a halved rate is back after 5 s), one decrease per
   * second, 100 ms burst.
   */
  public static AimdRateLimiter withCeiling(double ceilingPerSecond, Clock clock) {
    return new AimdRateLimiter(
        ceilingPerSecond,
        ceilingPerSecond * 0.05,
        0.5,
        ceilingPerSecond * 0.10,
        Duration.ofSeconds(1),
        Duration.ofMillis(100),
        clock);
  }

  /**
   * A limiter taking part in the budget of the API key {@code apiKey} at {@code baseUrl} that every
   * limiter of this JVM sharing the key (on the same clock) divides by demand. {@link #close()}
   * leaves it.
   *
   * @param totalPerSecond the key's whole budget less the safety margin
   * @param shareCount how many clients share the key in all, in this JVM and elsewhere
   */
  public static AimdRateLimiter sharing(
      String baseUrl, String apiKey, double totalPerSecond, int shareCount, Clock clock) {
    checkRate("total", totalPerSecond);
    if (shareCount < 1) {
      throw new IllegalArgumentException("shareCount: expected at least 1, found " + shareCount);
    }
    return SharedBudget.join(
        baseUrl + " " + digest(apiKey),
        clock,
        budget -> new AimdRateLimiter(budget, totalPerSecond, shareCount));
  }

  /**
   * A limiter with a budget of its own.
   *
   * @param ceilingPerSecond the highest rate
   * @param floorPerSecond the lowest rate decreases can reach
   * @param decreaseFactor the factor in {@code (0, 1)} a 429 multiplies the rate by
   * @param recoveryPerSecond how many permits/s the rate grows per second without throttling
   * @param decreaseCooldown the shortest time between two decreases
   * @param burst how many seconds' worth of permits an idle bucket stores (at least one permit)
   * @param clock the time source
   */
  public AimdRateLimiter(
      double ceilingPerSecond,
      double floorPerSecond,
      double decreaseFactor,
      double recoveryPerSecond,
      Duration decreaseCooldown,
      Duration burst,
      Clock clock) {
    this(
        SharedBudget.alone(
            clock,
            checkedFloor(ceilingPerSecond, floorPerSecond) / ceilingPerSecond,
            checkedFactor(decreaseFactor),
            checkedRecovery(recoveryPerSecond) / ceilingPerSecond,
            decreaseCooldown,
            burst),
        ceilingPerSecond,
        1);
  }

  @Override
  public Duration reserve() {
    return budget.reserve(this);
  }

  @Override
  public void onAccepted() {
    budget.accepted();
  }

  @Override
  public boolean onThrottled(Optional<Duration> retryAfter) {
    return budget.throttled(retryAfter);
  }

  @Override
  public double ratePerSecond() {
    return budget.ratePerSecond(this);
  }

  /** Leaves the shared budget: the other participants divide it without this one. Idempotent. */
  @Override
  public void close() {
    synchronized (budget) {
      if (closed) {
        return;
      }
      closed = true;
    }
    budget.remove(this);
  }

  /** The most this limiter could be given: the key's whole budget less the margin. */
  public double ceilingPerSecond() {
    return totalPerSecond;
  }

  // ---- the bucket, driven by the budget under its lock ----

  double totalPerSecond() {
    return totalPerSecond;
  }

  int shareCount() {
    return shareCount;
  }

  /** Counts a request into the measured rate. */
  void asked(long now) {
    rateEstimate = rateAt(now) + 1 / SharedBudget.RATE_TAU_SECONDS;
    rateEstimateNanos = now;
    lastAskNanos = now;
    if (nextFreeNanos == Long.MIN_VALUE / 2) {
      nextFreeNanos = now;
    }
  }

  void markBusy(long now) {
    lastBusyNanos = now;
  }

  long lastBusyNanos() {
    return lastBusyNanos;
  }

  boolean busy(long now) {
    return now - lastBusyNanos < SharedBudget.BUSY_HOLD.toNanos();
  }

  /** What this participant asks for, in requests per second. */
  double demand(long now) {
    if (busy(now)) {
      return Double.POSITIVE_INFINITY;
    }
    if (now - lastAskNanos > SharedBudget.IDLE_AFTER.toNanos()) {
      return 0;
    }
    return rateAt(now) * SharedBudget.HEADROOM;
  }

  private double rateAt(long now) {
    if (rateEstimateNanos == Long.MIN_VALUE / 2) {
      return 0;
    }
    return rateEstimate
        * Math.exp(-(now - rateEstimateNanos) / 1e9 / SharedBudget.RATE_TAU_SECONDS);
  }

  void refill(long now, double rate, double burstSeconds) {
    if (now > nextFreeNanos) {
      double maxStored = Math.max(1, rate * burstSeconds);
      stored = Math.min(maxStored, stored + (now - nextFreeNanos) / intervalNanos(rate));
      nextFreeNanos = now;
    }
  }

  long nextFreeNanos() {
    return nextFreeNanos;
  }

  void pauseUntil(long until) {
    nextFreeNanos = until;
    stored = 0;
  }

  void dropStored() {
    stored = 0;
  }

  boolean takeStored(long now) {
    if (stored >= 1 && nextFreeNanos <= now) {
      stored -= 1;
      return true;
    }
    return false;
  }

  /**
   * Books the next slot at {@code rate}; the wait until it. Slots already booked ahead at another
   * rate are counted at this one: the next free slot moves as if they had been spaced at {@code
   * rate}, so a participant whose part shrank pays back what it booked at the larger part (and one
   * whose part grew books sooner), and the sum over the participants keeps to the budget.
   */
  long book(long now, double rate, long pauseUntil) {
    long base = Math.max(now, pauseUntil);
    if (nextFreeNanos > base && bookedRate > 0 && rate != bookedRate) {
      nextFreeNanos = base + (long) ((nextFreeNanos - base) * (bookedRate / Math.max(rate, 1e-3)));
    }
    long wait = Math.max(0, nextFreeNanos - now);
    nextFreeNanos = Math.max(nextFreeNanos, now) + (long) intervalNanos(rate);
    bookedRate = rate;
    return wait;
  }

  private static double intervalNanos(double rate) {
    // An idle participant's part can be zero until its first booked request makes it busy.
    return 1e9 / Math.max(rate, 1e-3);
  }

  private static double checkRate(String name, double rate) {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(name + ": expected a positive rate, found " + rate);
    }
    return rate;
  }

  private static double checkedFloor(double ceiling, double floor) {
    checkRate("ceiling", ceiling);
    if (!(floor > 0 && floor <= ceiling)) {
      throw new IllegalArgumentException("floor: expected a rate in (0, ceiling], found " + floor);
    }
    return floor;
  }

  private static double checkedFactor(double decreaseFactor) {
    if (!(decreaseFactor > 0 && decreaseFactor < 1)) {
      throw new IllegalArgumentException(
          "decreaseFactor: expected a factor in (0, 1), found " + decreaseFactor);
    }
    return decreaseFactor;
  }

  private static double checkedRecovery(double recoveryPerSecond) {
    if (!(recoveryPerSecond >= 0)) {
      throw new IllegalArgumentException(
          "recoveryPerSecond: expected a non-negative rate, found " + recoveryPerSecond);
    }
    return recoveryPerSecond;
  }

  private static String digest(String apiKey) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
