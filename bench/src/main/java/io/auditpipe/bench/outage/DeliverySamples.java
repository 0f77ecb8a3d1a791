package io.auditpipe.bench.outage;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * The emulator's stored-event count sampled every {@code period} from a daemon thread, and the
 * delivery rates read from the samples.
 */
final class DeliverySamples implements AutoCloseable {

  /** Stored events {@code count} at {@code seconds} since sampling began. */
  record Sample(double seconds, long count) {}

  private final LongSupplier stored;
  private final long periodMillis;
  private final long startNanos = System.nanoTime();
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  DeliverySamples(LongSupplier stored, long periodMillis) {
    this.stored = stored;
    this.periodMillis = periodMillis;
    this.thread = new Thread(this::run, "delivery-samples");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      long count = stored.getAsLong();
      synchronized (this) {
        samples.add(new Sample(now(), count));
      }
      try {
        Thread.sleep(periodMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Seconds since sampling began. */
  double now() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /**
   * The earliest sample time {@code t >= from} from which {@code window} seconds of delivery ran at
   * {@code rate} events/s or more; empty if none did.
   */
  OptionalDouble firstWindowAtRate(double from, double window, double rate) {
    List<Sample> s = samples();
    int j = 0;
    for (int i = 0; i < s.size(); i++) {
      Sample a = s.get(i);
      if (a.seconds() < from) {
        continue;
      }
      j = Math.max(j, i);
      while (j < s.size() && s.get(j).seconds() < a.seconds() + window) {
        j++;
      }
      if (j == s.size()) {
        break;
      }
      Sample b = s.get(j);
      if ((b.count() - a.count()) / (b.seconds() - a.seconds()) >= rate) {
        return OptionalDouble.of(a.seconds());
      }
    }
    return OptionalDouble.empty();
  }

  /** Stored events at the last sample at or before {@code seconds}. */
  long countAt(double seconds) {
    long c = 0;
    for (Sample x : samples()) {
      if (x.seconds() > seconds) {
        break;
      }
      c = x.count();
    }
    return c;
  }

  /** The first sample time at which at least {@code count} events were stored, if any. */
  OptionalDouble firstReaching(long count) {
    for (Sample x : samples()) {
      if (x.count() >= count) {
        return OptionalDouble.of(x.seconds());
      }
    }
    return OptionalDouble.empty();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
