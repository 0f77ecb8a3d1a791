package io.auditpipe.workos.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.auditpipe.emulator.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * Limiters sharing one key's budget by demand, on a fake clock against a model of WorkOS's limiter
 * (fixed windows per key, {@code Retry-After} until the window ends): every client keeps a few
 * reservations outstanding and sends each when it comes due, as {@code AuditLogClient} does.
 */
class SharedBudgetTest {

  /** WorkOS's 6,000/60 s scaled down: 100 requests per 10 s window. */
  private static final int LIMIT = 100;

  private static final Duration WINDOW = Duration.ofSeconds(10);
  private static final double MARGIN = 0.02;
  private static final double TOTAL = LIMIT / 10.0 * (1 - MARGIN);

  private final MutableClock clock = new MutableClock();
  private final Server server = new Server();

  @Test
  void aLoneBusyClientUsesTheWholeBudgetWhileTheOtherIsIdle() {
    Client busy = client(2);
    Client idle = client(2);
    run(Duration.ofSeconds(60), busy);

    assertThat(busy.sent).as("of %d allowed in 60 s", LIMIT * 6).isGreaterThanOrEqualTo(570);
    assertThat(idle.sent).isZero();
    assertThat(server.throttled).isZero();
  }

  @Test
  void busyClientsGetFairShares() {
    Client a = client(2);
    Client b = client(2);
    run(Duration.ofSeconds(60), a, b);

    assertThat(a.sent + b.sent).isBetween(570L, (long) LIMIT * 6);
    assertThat(a.sent).isCloseTo(b.sent, within(5L));
    assertThat(server.throttled).isLessThanOrEqualTo((a.sent + b.sent) / 100);
  }

  @Test
  void anIdleClientThatStartsAskingGetsItsShareAtOnce() {
    Client a = client(2);
    Client b = client(2);
    run(Duration.ofSeconds(30), a);
    long aBefore = a.sent;
    run(Duration.ofSeconds(30), a, b);

    long aAfter = a.sent - aBefore;
    assertThat(b.sent).as("the newcomer's half of 30 s").isBetween(140L, 150L);
    assertThat(aAfter).isBetween(140L, 150L);
    assertThat(server.throttled).as("429s while the busy client gives way").isLessThanOrEqualTo(6);
  }

  @Test
  void aSurvivorTakesOverTheShareOfAClientThatClosed() {
    Client a = client(2);
    Client b = client(2);
    run(Duration.ofSeconds(20), a, b);
    b.limiter.close();
    long before = a.sent;
    run(Duration.ofSeconds(10), a);
    long probing = a.sent - before;
    run(Duration.ofSeconds(30), a);
    long after = a.sent - before - probing;

    // With one of two participants left, the other might now run in another JVM: the survivor
    // probes into its share (10% of it per second) and holds the whole budget when unanswered.
    assertThat(probing).isGreaterThan((long) (TOTAL / 2 * 10));
    assertThat(after)
        .as("of %.0f in 30 s", TOTAL * 30)
        .isGreaterThanOrEqualTo((long) (TOTAL * 30 * 0.97));
    assertThat(server.throttled).isLessThanOrEqualTo((a.sent + b.sent) / 100);
  }

  @Test
  void clientsInTwoJvmsProbeAndBackOffBelowTheLimit() {
    // Each budget alone in its JVM, both expecting two participants: each starts at half and
    // probes into the other's half until WorkOS throttles.
    Client a = client(2);
    Client b = new Client(AimdRateLimiter.sharing("b", "key", TOTAL, 2, clock));
    run(Duration.ofMinutes(5), a, b);

    long sent = a.sent + b.sent;
    assertThat(sent).as("what reached WorkOS in 300 s").isGreaterThan((long) (LIMIT * 30 * 0.75));
    assertThat(server.throttled).as("429s of %d requests", sent).isLessThan(sent / 50);
    assertThat(a.sent).isCloseTo(b.sent, within(sent / 5));
  }

  @Test
  void aLoneBusyClientBackedOffByOthersStaysUnderTheLimitWithFewThrottled() {
    Client a = client(2);
    // Someone in another JVM takes a steady 4 requests/s of the key.
    Client other = new Client(new FixedRate(4, clock));
    run(Duration.ofMinutes(5), a, other);

    assertThat(a.sent + other.sent).isLessThanOrEqualTo(LIMIT * 30L + server.throttled);
    assertThat(a.sent)
        .as("a uses what the other leaves")
        .isGreaterThan((long) ((TOTAL - 4) * 300 * 0.8));
    assertThat(server.throttled).isLessThan((a.sent + other.sent) / 50);
  }

  @Test
  void aBusyClientThatRanDryMakesUpTheTimeItLostButAnIdleOneOnlyItsBurst() {
    AimdRateLimiter limiter = AimdRateLimiter.sharing("c", "key", 100, 1, clock);
    for (int i = 0; i < 10; i++) {
      limiter.reserve();
    }
    // Its ten slots end at 90 ms; every request then waits for an answer until 490 ms.
    clock.advance(Duration.ofMillis(490));
    assertThat(immediatePermits(limiter)).as("400 ms at 100/s, and the slot due now").isEqualTo(41);

    clock.advance(Duration.ofSeconds(60));
    assertThat(immediatePermits(limiter)).as("100 ms of burst, and the slot due now").isEqualTo(11);
    limiter.close();
  }

  private static int immediatePermits(RateLimiter limiter) {
    int immediate = 0;
    while (limiter.reserve().isZero()) {
      immediate++;
    }
    return immediate;
  }

  @Test
  void throttlingPausesEveryParticipantOfTheKey() {
    AimdRateLimiter a = AimdRateLimiter.sharing("u", "key", 10, 2, clock);
    AimdRateLimiter b = AimdRateLimiter.sharing("u", "key", 10, 2, clock);
    assertThat(a.onThrottled(Optional.of(Duration.ofSeconds(3)))).isTrue();
    assertThat(b.onThrottled(Optional.of(Duration.ofSeconds(3)))).as("once per cooldown").isFalse();
    assertThat(b.reserve()).isEqualTo(Duration.ofSeconds(3));
    a.close();
    b.close();
  }

  @Test
  void theLastParticipantToLeaveDropsTheBudget() {
    AimdRateLimiter a = AimdRateLimiter.sharing("u", "key", 10, 2, clock);
    AimdRateLimiter b = AimdRateLimiter.sharing("u", "key", 10, 2, clock);
    AimdRateLimiter otherKey = AimdRateLimiter.sharing("u", "key2", 10, 2, clock);
    assertThat(SharedBudget.participants("u " + digestOf("key"), clock)).isEqualTo(2);
    a.onThrottled(Optional.empty());
    a.close();
    a.close();
    assertThat(SharedBudget.participants("u " + digestOf("key"), clock)).isEqualTo(1);
    b.close();
    assertThat(SharedBudget.participants("u " + digestOf("key"), clock)).isZero();
    AimdRateLimiter fresh = AimdRateLimiter.sharing("u", "key", 10, 1, clock);
    assertThat(fresh.ratePerSecond()).as("not lowered by the old budget's 429").isEqualTo(10);
    fresh.close();
    otherKey.close();
  }

  private static String digestOf(String key) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private Client client(int shareCount) {
    return new Client(
        AimdRateLimiter.sharing("http://workos", "sk_test", TOTAL, shareCount, clock));
  }

  /** Advances the clock in 1 ms steps; active clients keep 8 reservations outstanding. */
  private void run(Duration duration, Client... active) {
    long steps = duration.toMillis();
    for (long step = 0; step < steps; step++) {
      long now = nanos();
      for (Client c : active) {
        while (c.due.size() < 8) {
          c.due.add(now + c.limiter.reserve().toNanos());
        }
        while (!c.due.isEmpty() && c.due.peek() <= now) {
          c.due.poll();
          c.sent++;
          Optional<Duration> throttled = server.request(now);
          if (throttled.isPresent()) {
            c.limiter.onThrottled(throttled);
          } else {
            c.limiter.onAccepted();
          }
        }
      }
      clock.advance(Duration.ofMillis(1));
    }
  }

  private long nanos() {
    return Duration.between(Instant.EPOCH, clock.instant()).toNanos();
  }

  private static final class Client {
    final RateLimiter limiter;
    final PriorityQueue<Long> due = new PriorityQueue<>();
    long sent;

    Client(RateLimiter limiter) {
      this.limiter = limiter;
    }
  }

  /** The emulator's limiter: fixed windows starting at the first request after the last ended. */
  private static final class Server {
    long windowStart = Long.MIN_VALUE / 2;
    int count;
    long throttled;

    Optional<Duration> request(long now) {
      long window = WINDOW.toNanos();
      if (now - windowStart >= window) {
        windowStart = now;
        count = 0;
      }
      if (count < LIMIT) {
        count++;
        return Optional.empty();
      }
      throttled++;
      long remaining = windowStart + window - now;
      return Optional.of(
          Duration.ofSeconds(Math.max(1, (remaining + 999_999_999) / 1_000_000_000)));
    }
  }

  /** A sender elsewhere at a fixed rate that ignores throttling. */
  private static final class FixedRate implements RateLimiter {
    private final double rate;
    private final MutableClock clock;
    private long next = Long.MIN_VALUE;

    FixedRate(double rate, MutableClock clock) {
      this.rate = rate;
      this.clock = clock;
    }

    @Override
    public Duration reserve() {
      long now = Duration.between(Instant.EPOCH, clock.instant()).toNanos();
      if (next == Long.MIN_VALUE) {
        next = now;
      }
      long wait = Math.max(0, next - now);
      next = Math.max(next, now) + (long) (1e9 / rate);
      return Duration.ofNanos(wait);
    }

    @Override
    public void onAccepted() {}

    @Override
    public boolean onThrottled(Optional<Duration> retryAfter) {
      return false;
    }

    @Override
    public double ratePerSecond() {
      return rate;
    }
  }
}
