package io.auditpipe.workos.time;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The client's timers: one daemon thread each, so they never keep a JVM alive. */
public final class DaemonTimer {

  private DaemonTimer() {}

  /**
   * A one-thread timer named {@code name} whose cancelled tasks leave its queue at once (a
   * cancelled timeout must not linger until its time).
   */
  public static ScheduledThreadPoolExecutor named(String name) {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
