package io.auditpipe.emulator.state;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** Fixed-window request counting per API key. Thread-safe; each key has its own lock. */
public final class RateLimiter {

  private final Clock clock;
  private volatile Optional<RateLimit> limit;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public RateLimiter(Clock clock, Optional<RateLimit> limit) {
    this.clock = clock;
    this.limit = limit;
  }

  public Optional<RateLimit> limit() {
    return limit;
  }

  public void limit(Optional<RateLimit> limit) {
    this.limit = limit;
    windows.clear();
  }

  /**
   * Counts one request for the key. Empty when it is allowed; otherwise the whole seconds until the
   * window ends (at least 1), for {@code Retry-After}.
   */
  public OptionalLong acquire(String apiKey) {
    Optional<RateLimit> l = limit;
    if (l.isEmpty()) {
      return OptionalLong.empty();
    }
    RateLimit rl = l.get();
    Window w = windows.computeIfAbsent(apiKey, k -> new Window());
    long now = clock.millis();
    long windowMs = rl.window().toMillis();
    synchronized (w) {
      if (now - w.start >= windowMs || now < w.start) {
        w.start = now;
        w.count = 0;
      }
      if (w.count < rl.requests()) {
        w.count++;
        return OptionalLong.empty();
      }
      long remainingMs = w.start + windowMs - now;
      return OptionalLong.of(Math.max(1, (remainingMs + 999) / 1000));
    }
  }

  public void reset() {
    windows.clear();
  }

  private static final class Window {
    long start = Long.MIN_VALUE / 2;
    int count;
  }
}
