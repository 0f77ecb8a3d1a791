package io.auditpipe.emulator.state;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A per-API-key limit: at most {@code requests} per fixed {@code window}. WorkOS's published limit
 * is 6,000 requests per 60 seconds.
 */
public record RateLimit(int requests, Duration window) {

  public static final RateLimit WORKOS = new RateLimit(6000, Duration.ofSeconds(60));

  public RateLimit {
    Objects.requireNonNull(window, "window");
    if (requests < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException(
          "expected a positive request count and window, found " + requests + "/" + window);
    }
  }

  /**
   * Parses {@code 6000/60s}, {@code 100/1s}, {@code 10/500ms} or {@code 6000/1m}; {@code off} means
   * no limit (empty).
   */
  public static java.util.Optional<RateLimit> parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("off") || t.equals("none")) {
      return java.util.Optional.empty();
    }
    int slash = t.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "expected a rate limit like 6000/60s or off, found '" + text + "'");
    }
    int requests = Integer.parseInt(t.substring(0, slash));
    String w = t.substring(slash + 1);
    Duration window;
    if (w.endsWith("ms")) {
      window = Duration.ofMillis(Long.parseLong(w.substring(0, w.length() - 2)));
    } else if (w.endsWith("s")) {
      window = Duration.ofSeconds(Long.parseLong(w.substring(0, w.length() - 1)));
    } else if (w.endsWith("m")) {
      window = Duration.ofMinutes(Long.parseLong(w.substring(0, w.length() - 1)));
    } else {
      window = Duration.ofSeconds(Long.parseLong(w));
    }
    return java.util.Optional.of(new RateLimit(requests, window));
  }

  @Override
  public String toString() {
    return requests + "/" + window.toMillis() + "ms";
  }
}
