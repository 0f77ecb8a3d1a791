package io.auditpipe.bench.delivery;

import java.util.Locale;

/** One variant's figures; printed as one {@code MEASURE} line the scripts parse. */
record Measurement(String variant, long events, long failures, long wallNanos, long cpuNanos) {

  double eventsPerSecond() {
    return events / (wallNanos / 1e9);
  }

  double cpuMicrosPerEvent() {
    return cpuNanos / 1e3 / events;
  }

  String line() {
    return String.format(
        Locale.ROOT,
        "MEASURE variant=%s events=%d failures=%d seconds=%.3f eps=%.1f cpu_us_per_event=%.2f",
        variant,
        events,
        failures,
        wallNanos / 1e9,
        eventsPerSecond(),
        cpuMicrosPerEvent());
  }
}
