package io.auditpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.cli.CommandRun;
import io.auditpipe.cli.ExitCodes;
import io.auditpipe.emulator.WorkOsEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, defect 2: {@code auditpipe local --workos-url} pointing where nothing listens printed
 * {@code delivered 0} for ever (the connector retries an unreachable WorkOS, as it should in an
 * outage). Now local says why and exits non-zero before starting anything; and a WorkOS that
 * refuses the key stops local with the reason. Failsafe sets WORKOS_API_KEY (sandbox/pom.xml),
 * which --workos-url requires.
 */
class UnusableWorkOsIT {

  @TempDir Path dir;

  @Test
  void anUnreachableWorkOsStopsLocalWithTheReasonAndExitCodeOne() {
    Path data = dir.resolve("data");

    CommandRun run =
        CommandRun.of(
            LocalMain.commandLine(),
            "local",
            "--workos-url",
            "http://127.0.0.1:9",
            "--duration",
            "5s",
            "--data-dir",
            data.toString());

    assertThat(run.exitCode())
        .as("stdout:%n%s%nstderr:%n%s", run.out(), run.err())
        .isEqualTo(ExitCodes.INVALID);
    assertThat(run.err())
        .contains("--workos-url http://127.0.0.1:9", "cannot connect to 127.0.0.1:9")
        .contains("the pipeline cannot deliver there")
        .doesNotContain("Exception", "\tat ");
    assertThat(run.out()).doesNotContain("ready in");
    assertThat(Files.exists(data.resolve("kafka"))).as("no broker was started").isFalse();
  }

  /**
   * A WorkOS that answers but refuses the key: the task fails (a configuration error, nothing
   * dead-lettered), and local stops with exit code 1 and the failure's first line, naming the key.
   */
  @Test
  void aRefusedApiKeyStopsLocalWithTheTaskFailureAndExitCodeOne() {
    Path data = dir.resolve("data");
    try (WorkOsEmulator workos =
        WorkOsEmulator.builder().apiKey("sk_test_another_key_than_local_has").start()) {

      CommandRun run =
          CommandRun.of(
              LocalMain.commandLine(),
              "local",
              "--workos-url",
              workos.baseUrl().toString(),
              "--duration",
              "120s",
              "--data-dir",
              data.toString());

      assertThat(run.exitCode())
          .as("stdout:%n%s%nstderr:%n%s", run.out(), run.err())
          .isEqualTo(ExitCodes.INVALID);
      String said = run.out() + run.err();
      assertThat(said)
          .contains("workos.api.key")
          .doesNotContain("Exception", "\tat ", "sk_test_unreachable_workos_it");
      assertThat(workos.eventCount()).isZero();
    }
  }
}
