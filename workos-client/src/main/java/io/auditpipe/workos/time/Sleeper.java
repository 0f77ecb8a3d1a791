package io.auditpipe.workos.time;

import java.time.Duration;

/** Blocks the calling thread; the blocking API calls' only way to wait, replaceable in tests. */
@FunctionalInterface
public interface Sleeper {

  /** {@link Thread#sleep}. */
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));

  void sleep(Duration duration) throws InterruptedException;
}
