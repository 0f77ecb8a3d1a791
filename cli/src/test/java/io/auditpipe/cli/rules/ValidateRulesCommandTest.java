package io.auditpipe.cli.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.cli.CommandRun;
import io.auditpipe.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateRulesCommandTest {

  @TempDir Path dir;

  @Test
  void validDocumentExitsZeroAndNamesItsRules() {
    String rules = RulesResources.path("order-rules.json");

    CommandRun run = CommandRun.of("rules", "validate", rules);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains(rules + ": valid, 1 rule(s): order-paid");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void invalidDocumentPrintsEveryErrorOnItsOwnLineWithItsLocation() {
    String rules = RulesResources.path("invalid-rules.json");

    CommandRun run = CommandRun.of("rules", "validate", rules);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.out()).isEmpty();
    // Both rules are wrong: both errors are reported, not just the first.
    assertThat(run.errLines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(rules + ": rules[0] \"order-paid\" organization_id")
                    .contains("user/org"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(rules + ": rules[1] \"order-shipped\" occurred_at")
                    .contains("epoch_fortnights"));
    assertThat(run.errLines()).last().asString().endsWith(" error(s)");
  }

  @Test
  void documentThatIsNotJsonIsInvalid() throws Exception {
    Path rules = Files.writeString(dir.resolve("broken.json"), "{\"version\": 1, \"rules\": [");

    CommandRun run = CommandRun.of("rules", "validate", rules.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.errLines()).first().asString().startsWith(rules + ": ");
  }

  @Test
  void missingFileIsInvalidAndNamed() {
    Path missing = dir.resolve("missing.json");

    CommandRun run = CommandRun.of("rules", "validate", missing.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.errLines())
        .containsExactly(missing + ": no such file", missing + ": 1 error(s)");
  }

  @Test
  void missingArgumentIsAUsageError() {
    CommandRun run = CommandRun.of("rules", "validate");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("RULES.json");
  }
}
