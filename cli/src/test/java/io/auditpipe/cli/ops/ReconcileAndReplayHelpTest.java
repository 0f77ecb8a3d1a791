package io.auditpipe.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.cli.CommandRun;
import io.auditpipe.cli.ExitCodes;
import org.junit.jupiter.api.Test;

class ReconcileAndReplayHelpTest {

  @Test
  void auditpipeHelpListsReconcileAndDlqHelpListsReplay() {
    assertThat(CommandRun.of("--help").outLines())
        .anySatisfy(l -> assertThat(l).matches("\\s+reconcile\\s+Proves completeness.*"))
        .anySatisfy(l -> assertThat(l).matches("\\s+dlq\\s+.*replays.*"));
    assertThat(CommandRun.of("dlq", "--help").outLines())
        .anySatisfy(l -> assertThat(l).matches("\\s+replay\\s+Re-drives dead letters.*"));
  }

  @Test
  void reconcileDocumentsExitCodeFourForMissingEvents() {
    CommandRun run = CommandRun.of("reconcile", "--help");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines())
        .anySatisfy(l -> assertThat(l).matches("\\s+4\\s+Some expected events are missing.*"));
  }

  @Test
  void replayWithoutATopicIsAUsageError() {
    CommandRun run = CommandRun.of("dlq", "replay", "-b", "localhost:1");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--topic");
  }
}
