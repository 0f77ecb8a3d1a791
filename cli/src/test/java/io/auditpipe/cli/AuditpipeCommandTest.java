package io.auditpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditpipeCommandTest {

  @Test
  void versionIsTheMavenProjectVersion() {
    CommandRun run = CommandRun.of("--version");

    assertThat(run.exitCode()).isZero();
    // Surefire passes the pom's version in; the jar reads it from the filtered version.properties.
    assertThat(run.outLines().get(0))
        .isEqualTo("auditpipe " + System.getProperty("auditpipe.expected.version"));
  }

  @Test
  void helpListsTheSubcommandsAndExitCodes() {
    CommandRun run = CommandRun.of("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("rules").contains("Exit codes:");
  }

  @Test
  void everySubcommandHasHelp() {
    for (String[] args :
        new String[][] {
          {"rules", "--help"}, {"rules", "validate", "--help"}, {"rules", "preview", "--help"}
        }) {
      CommandRun run = CommandRun.of(args);

      assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(run.out()).as(String.join(" ", args)).startsWith("Usage: auditpipe rules");
    }
  }

  @Test
  void missingSubcommandIsAUsageError() {
    CommandRun run = CommandRun.of();

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("Missing required subcommand").contains("Usage: auditpipe");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void unknownSubcommandIsAUsageError() {
    CommandRun run = CommandRun.of("rules", "frobnicate");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("frobnicate");
  }
}
