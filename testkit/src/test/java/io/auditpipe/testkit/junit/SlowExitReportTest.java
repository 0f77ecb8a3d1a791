package io.auditpipe.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlowExitReportTest {

  private static final Duration GRACE = Duration.ofMillis(200);

  @TempDir Path dir;

  private Path reportFile() {
    return dir.resolve("slow-exit-" + ProcessHandle.current().pid() + ".txt");
  }

  /**
   * Surefire's kill timer runs from the fork's goodbye, before System.exit: a JVM that is still
   * alive after its plan ended is reported whether or not System.exit has been called.
   */
  @Test
  void aJvmStillAliveAfterItsPlanEndedIsReportedBeforeSystemExit() throws Exception {
    SlowExitReport report = new SlowExitReport(GRACE, dir);

    // The listener reads nothing of the plan.
    report.testPlanExecutionStarted(null);
    report.testPlanExecutionFinished(null);

    String text = awaitReport();
    assertThat(text)
        .contains("after its test plan ended")
        .contains("System.exit has not been called")
        .contains('"' + Thread.currentThread().getName() + '"')
        .contains(SlowExitReportTest.class.getName());
  }

  @Test
  void aPlanStartedAfterwardsIsNoSlowExit() throws Exception {
    SlowExitReport report = new SlowExitReport(GRACE, dir);

    report.testPlanExecutionStarted(null);
    report.testPlanExecutionFinished(null);
    report.testPlanExecutionStarted(null);
    Thread.sleep(GRACE.multipliedBy(5).toMillis());

    assertThat(reportFile()).doesNotExist();
  }

  private String awaitReport() throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    // The file is complete once the watcher has closed it: wait for its last line.
    while (System.nanoTime() < until) {
      if (Files.exists(reportFile())) {
        String text = Files.readString(reportFile(), StandardCharsets.UTF_8);
        if (text.contains(SlowExitReportTest.class.getName())) {
          return text;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no report in " + dir + " within 10 s");
  }
}
