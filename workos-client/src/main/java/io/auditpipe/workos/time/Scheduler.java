package io.auditpipe.workos.time;

import java.time.Duration;

/**
 * Runs a task after a delay without holding a thread while waiting. The client's only way to wait,
 * so tests can substitute a scheduler that records delays and runs tasks at once instead of
 * sleeping.
 */
public interface Scheduler extends AutoCloseable {

  /** Runs {@code task} once {@code delay} has passed ({@code delay} may be zero). */
  void schedule(Duration delay, Runnable task);

  /** Stops running tasks; tasks not yet run are dropped. */
  @Override
  default void close() {}
}
