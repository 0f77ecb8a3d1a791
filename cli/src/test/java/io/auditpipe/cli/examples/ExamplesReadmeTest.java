package io.auditpipe.cli.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The command examples/README.md gives to regenerate the golden files works on a fresh clone: it
 * builds cli's dependencies from the checkout ({@code -am}, nothing installed in ~/.m2 yet) and so
 * must let the modules without the test pass.
 */
class ExamplesReadmeTest {

  @Test
  void theRegenerateCommandNeedsNoInstallAndRunsOnlyTheGoldenTest() throws Exception {
    String readme = Files.readString(readme(), StandardCharsets.UTF_8);
    String command =
        readme
            .lines()
            .filter(line -> line.startsWith("mvn ") && line.contains("ExamplesPreviewGoldenTest"))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no mvn command running ExamplesPreviewGoldenTest"));
    // A command continued on the next line ends with a backslash.
    String next = readme.substring(readme.indexOf(command) + command.length()).strip();
    if (command.endsWith("\\")) {
      command = command + " " + next.lines().findFirst().orElse("");
    }

    assertThat(command)
        .contains("-pl cli -am")
        .contains("-Dsurefire.failIfNoSpecifiedTests=false")
        .contains("-Dauditpipe.examples.update=true")
        .doesNotContain("install");
  }

  private static Path readme() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("examples/README.md"))) {
        return p.resolve("examples/README.md");
      }
    }
    throw new IllegalStateException("no examples/README.md above the working directory");
  }
}
