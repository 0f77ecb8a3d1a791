package io.auditpipe.workos.time;

import io.auditpipe.emulator.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scheduler that records each requested delay, moves a {@link MutableClock} forward by it and
 * runs the task at once: retries and waits are verified without sleeping.
 */
public final class RecordingScheduler implements Scheduler {

  private final MutableClock clock;
  private final List<Duration> delays = new CopyOnWriteArrayList<>();

  public RecordingScheduler(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public void schedule(Duration delay, Runnable task) {
    delays.add(delay);
    clock.advance(delay);
    task.run();
  }

  /** The non-zero delays requested, in order. */
  public List<Duration> delays() {
    return delays.stream().filter(d -> !d.isZero()).toList();
  }
}
