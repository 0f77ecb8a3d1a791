package io.auditpipe.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.cli.CommandRun;
import io.auditpipe.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandsTest {

  @Test
  void emulatorIsASubcommandWithItsOptions() {
    CommandRun run = CommandRun.of("emulator", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--port", "--api-key", "--org", "--rate-limit", "--data-dir");
  }

  @Test
  void processorRefusesAnInvalidConfigurationBeforeConnectingToKafka(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("processor.properties");
    Files.writeString(
        config,
        "bootstrap.servers=localhost:1\nrules.path=" + dir.resolve("missing-rules.json") + "\n");

    CommandRun run = CommandRun.of("processor", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.err())
        .isEqualTo(
            "cannot read the rules document: "
                + dir.resolve("missing-rules.json")
                + ": no such file; set rules.path to the rules document"
                + System.lineSeparator());
  }

  @Test
  void processorReportsAMissingKeyByName(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("p.properties"), "bootstrap.servers=x:1\n");

    CommandRun run = CommandRun.of("processor", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.err()).contains("invalid configuration").contains("rules.path");
  }

  @Test
  void processorRejectsAnUnknownArgument() {
    CommandRun run = CommandRun.of("processor", "--nope");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--nope");
  }

  @Test
  void processorHelpNamesTheConfigOption() {
    CommandRun run = CommandRun.of("processor", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--config", "AUDITPIPE_");
  }
}
