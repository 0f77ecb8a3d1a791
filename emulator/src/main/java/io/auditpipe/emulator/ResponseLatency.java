package io.auditpipe.emulator;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency added to every API answer, drawn uniformly from {@code mean ± spread}: {@code 80ms±20ms}
 * (also written {@code 80ms+-20ms}) answers after 60 to 100 ms; {@code 80ms} after exactly 80 ms.
 */
public record ResponseLatency(Duration mean, Duration spread) {

  /** No added latency. */
  public static final ResponseLatency NONE = new ResponseLatency(Duration.ZERO, Duration.ZERO);

  private static final Pattern FORMAT =
      Pattern.compile("\\s*(\\d+)\\s*(ms|s)\\s*(?:(?:±|\\+-|\\+/-)\\s*(\\d+)\\s*(ms|s))?\\s*");

  public ResponseLatency {
    if (mean.isNegative() || spread.isNegative() || spread.compareTo(mean) > 0) {
      throw new IllegalArgumentException(
          "latency: expected a spread no larger than the mean, found "
              + mean.toMillis()
              + "ms±"
              + spread.toMillis()
              + "ms");
    }
  }

  /**
   * Parses {@code 80ms±20ms}, {@code 80ms+-20ms} or {@code 80ms}; {@code s} for seconds also works.
   */
  public static ResponseLatency parse(String text) {
    Matcher m = FORMAT.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "latency: expected a duration such as 80ms, 80ms±20ms or 80ms+-20ms, found '"
              + text
              + "'");
    }
    Duration mean = duration(m.group(1), m.group(2));
    Duration spread = m.group(3) == null ? Duration.ZERO : duration(m.group(3), m.group(4));
    return new ResponseLatency(mean, spread);
  }

  private static Duration duration(String amount, String unit) {
    long n = Long.parseLong(amount);
    return unit.equals("s") ? Duration.ofSeconds(n) : Duration.ofMillis(n);
  }

  public boolean isNone() {
    return mean.isZero();
  }

  /** One draw, in microseconds. */
  public long drawMicros() {
    long m = mean.toNanos() / 1000;
    long s = spread.toNanos() / 1000;
    return s == 0 ? m : m - s + ThreadLocalRandom.current().nextLong(2 * s + 1);
  }

  @Override
  public String toString() {
    return spread.isZero()
        ? mean.toMillis() + "ms"
        : mean.toMillis() + "ms±" + spread.toMillis() + "ms";
  }
}
