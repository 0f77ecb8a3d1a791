package io.auditpipe.workos.time;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link Scheduler}: one daemon timer thread that hands due tasks to an executor, so
 * a slow task never delays the timer. Zero delays skip the timer.
 */
public final class ExecutorScheduler implements Scheduler {

  private final ScheduledThreadPoolExecutor timer;
  private final Executor executor;

  /** A scheduler whose tasks run on {@code executor}; the timer thread is named {@code name}. */
  public ExecutorScheduler(String name, Executor executor) {
    this.executor = executor;
    this.timer = DaemonTimer.named(name);
  }

  @Override
  public void schedule(Duration delay, Runnable task) {
    if (delay.isZero() || delay.isNegative()) {
      executor.execute(task);
    } else {
      var unused =
          timer.schedule(() -> executor.execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
