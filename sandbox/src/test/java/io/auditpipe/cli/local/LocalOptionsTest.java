package io.auditpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.cli.CommandRun;
import io.auditpipe.cli.ExitCodes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auditpipe local} checks its options before starting anything (issue 15, defect 3). */
class LocalOptionsTest {

  private static final String NL = System.lineSeparator();

  @TempDir Path dir;

  @Test
  void localChecksItsOptionsBeforeStartingAnything() {
    Instant started = Instant.now();

    CommandRun run =
        CommandRun.of(
            LocalMain.commandLine(),
            "local",
            "--workos-url",
            "garbage",
            "--data-dir",
            dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "auditpipe local: --workos-url: expected an http or https URL, found scheme \"\""
                + " (e.g. https://api.workos.com)"
                + NL
                + "Try 'auditpipe local --help' for usage."
                + NL);
    assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(10));
    assertThat(dir.resolve("local.log")).doesNotExist();
  }

  @Test
  void aDurationIsWrittenAsPeopleWriteIt() {
    CommandRun run = CommandRun.of(LocalMain.commandLine(), "local", "--duration", "30 seconds");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .isEqualTo(
            "auditpipe local: Invalid value for option '--duration': expected a duration such as"
                + " 500ms, 30s, 2m, 1h or PT30S, found '30 seconds'"
                + NL
                + "Try 'auditpipe local --help' for usage."
                + NL);
  }
}
