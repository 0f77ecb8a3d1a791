package io.auditpipe.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.cli.CommandRun;
import io.auditpipe.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushSchemasCommandTest {

  @TempDir Path dir;

  @Test
  void dryRunPrintsEachRequestWithoutAnApiKey() throws Exception {
    Path rules = RulesOf.example("outbox");

    CommandRun run = CommandRun.of("schemas", "push", "--dry-run", rules.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines())
        .contains(
            "POST /audit_logs/actions/invoice.issued/schemas",
            "POST /audit_logs/actions/invoice.voided/schemas");
  }

  @Test
  void anInvalidRulesDocumentIsRefusedWithItsErrors() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.json"), "{\"version\": 1, \"rules\": []}");

    CommandRun run = CommandRun.of("schemas", "push", "--dry-run", rules.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.err()).contains(rules.toString());
  }
}
