package io.auditpipe.cli.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    Matcher command =
        Pattern.compile(
                "mvn [^\\n]*(?:\\\\\\n[^\\n]*)*ExamplesPreviewGoldenTest[^\\n]*(?:\\\\\\n[^\\n]*)*")
            .matcher(readme);

    assertThat(command.find()).as("a mvn command running ExamplesPreviewGoldenTest").isTrue();
    assertThat(command.group())
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
