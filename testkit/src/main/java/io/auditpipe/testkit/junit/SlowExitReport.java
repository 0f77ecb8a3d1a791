package io.auditpipe.testkit.junit;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes every thread's stack to {@code target/slow-exit-<pid>.txt} when the test JVM is still
 * alive {@link #GRACE} after its test plan ended. A fast exit writes nothing. Registered for every
 * test JVM that has the testkit on its classpath.
 *
 * <p>The watch starts when the plan ends, not when shutdown hooks run: Surefire and Failsafe
 * (3.5.4, {@code ForkedBooter.acknowledgedExit}) start the 30 s after which they kill the fork
 * ("Surefire is going to kill self fork JVM … 30 seconds after System.exit(0)") as soon as the fork
 * says goodbye to Maven, before it waits for Maven's acknowledgement and before it calls {@code
 * System.exit}. A watch started by a shutdown hook missed a fork held up before {@code
 * System.exit}, and one held by hooks once the acknowledgement had taken part of the 30 s.
 */
public final class SlowExitReport implements TestExecutionListener {

  /** Well inside Surefire's 30 s, which start about when the plan ends. */
  static final Duration GRACE = Duration.ofSeconds(20);

  private final Duration grace;
  private final Path dir;

  /** Counts plan starts: a watch whose plan is followed by another one has nothing to report. */
  private final AtomicLong plans = new AtomicLong();

  /** When {@code System.exit} began running the shutdown hooks, if it has. */
  private final AtomicReference<Instant> exitBegan = new AtomicReference<>();

  public SlowExitReport() {
    this(GRACE, Files.isDirectory(Path.of("target")) ? Path.of("target") : Path.of("."));
  }

  SlowExitReport(Duration grace, Path dir) {
    this.grace = grace;
    this.dir = dir;
  }

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plans.incrementAndGet();
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    Instant planEnded = Instant.now();
    long plan = plans.get();
    try {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(() -> exitBegan.compareAndSet(null, Instant.now()), "slow-exit-report"));
    } catch (IllegalStateException alreadyExiting) {
      exitBegan.compareAndSet(null, planEnded);
    }
    // A daemon: it never delays an exit, and dies with the JVM when the exit is quick.
    Thread watcher =
        new Thread(
            () -> {
              try {
                Thread.sleep(grace.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              if (plans.get() == plan) {
                report(planEnded);
              }
            },
            "slow-exit-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  private void report(Instant planEnded) {
    Path file = dir.resolve("slow-exit-" + ProcessHandle.current().pid() + ".txt");
    Instant exit = exitBegan.get();
    Map<Long, Boolean> daemon =
        Thread.getAllStackTraces().keySet().stream()
            .collect(Collectors.toMap(Thread::getId, Thread::isDaemon, (a, b) -> a));
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      out.println(
          "Test JVM still alive at "
              + Instant.now()
              + ", "
              + grace.toSeconds()
              + " s after its test plan ended at "
              + planEnded
              + "; "
              + (exit == null
                  ? "System.exit has not been called (Surefire calls it once Maven has"
                      + " acknowledged the fork's goodbye; see the main thread)"
                  : "System.exit began at " + exit + " and its shutdown hooks are running"));
      for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
        out.println(
            (daemon.getOrDefault(t.getThreadId(), true) ? "" : "[non-daemon] ")
                + '"'
                + t.getThreadName()
                + "\" "
                + t.getThreadState()
                + (t.getLockName() == null ? "" : " on " + t.getLockName())
                + (t.getLockOwnerName() == null
                    ? ""
                    : " owned by \"" + t.getLockOwnerName() + '"'));
        for (StackTraceElement e : t.getStackTrace()) {
          out.println("\tat " + e);
        }
        out.println();
      }
    } catch (IOException e) {
      System.err.println("cannot write " + file + ": " + e);
      return;
    }
    System.err.println("the test JVM is slow to exit; thread stacks in " + file.toAbsolutePath());
  }
}
