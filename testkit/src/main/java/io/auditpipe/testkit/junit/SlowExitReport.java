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
import java.util.stream.Collectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes every thread's stack to {@code target/slow-exit-<pid>.txt} when the test JVM is still
 * running its shutdown hooks {@value #GRACE_SECONDS} s after {@code System.exit}: Surefire kills a
 * fork 30 s after it exits, and only the stacks at that moment say which hook or resource held it.
 * A fast exit writes nothing. Registered for every test JVM that has the testkit on its classpath.
 */
public final class SlowExitReport implements TestExecutionListener {

  static final int GRACE_SECONDS = 10;

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    Thread hook = new Thread(SlowExitReport::watch, "slow-exit-report");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // Nothing to watch: the JVM is already running its hooks.
    }
  }

  /**
   * Runs as a shutdown hook and returns at once: the watcher is a daemon thread, so it never delays
   * an exit and dies with the JVM when the other hooks finish in time.
   */
  private static void watch() {
    Thread watcher =
        new Thread(
            () -> {
              try {
                Thread.sleep(Duration.ofSeconds(GRACE_SECONDS).toMillis());
              } catch (InterruptedException e) {
                return;
              }
              report();
            },
            "slow-exit-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void report() {
    Path dir = Files.isDirectory(Path.of("target")) ? Path.of("target") : Path.of(".");
    Path file = dir.resolve("slow-exit-" + ProcessHandle.current().pid() + ".txt");
    Map<Long, Boolean> daemon =
        Thread.getAllStackTraces().keySet().stream()
            .collect(Collectors.toMap(Thread::getId, Thread::isDaemon, (a, b) -> a));
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      out.println(
          "Shutdown hooks still running "
              + GRACE_SECONDS
              + " s after System.exit, at "
              + Instant.now());
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
