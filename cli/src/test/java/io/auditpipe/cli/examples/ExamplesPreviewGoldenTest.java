package io.auditpipe.cli.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.cli.AuditpipeCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every directory of {@code examples/} is a golden case: {@code auditpipe rules preview rules.json
 * --input events.jsonl $(cat preview.args)} prints exactly {@code expected.txt} (stdout and stderr
 * as they interleave on a terminal). Run with {@code -Dauditpipe.examples.update=true} to rewrite
 * the expected files after an intended change, then review the diff.
 */
class ExamplesPreviewGoldenTest {

  private static final Path EXAMPLES = locateExamples();

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> dirs = Files.list(EXAMPLES)) {
      return dirs
          .filter(d -> Files.isRegularFile(d.resolve("rules.json")))
          .sorted()
          .toList()
          .stream();
    }
  }

  @Test
  void everyExampleIsAGoldenCase() throws IOException {
    assertThat(examples().map(d -> d.getFileName().toString()))
        .contains("app-events", "debezium", "cloudevents", "outbox");
    examples()
        .forEach(
            dir ->
                assertThat(List.of("events.jsonl", "preview.args", "expected.txt"))
                    .allSatisfy(file -> assertThat(dir.resolve(file)).isRegularFile()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void previewPrintsTheCheckedInExpectedOutput(Path dir) throws IOException {
    String actual = preview(dir);
    Path expectedFile = dir.resolve("expected.txt");
    if (Boolean.getBoolean("auditpipe.examples.update")) {
      Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
    }

    assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
  }

  private static String preview(Path dir) throws IOException {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "rules",
            "preview",
            dir.resolve("rules.json").toString(),
            "--input",
            dir.resolve("events.jsonl").toString()));
    String extra = Files.readString(dir.resolve("preview.args"), StandardCharsets.UTF_8).strip();
    args.addAll(Arrays.asList(extra.split("\\s+")));
    StringWriter output = new StringWriter();
    PrintWriter writer = new PrintWriter(output, true);
    CommandLine commandLine = AuditpipeCommand.commandLine();
    commandLine.setOut(writer);
    commandLine.setErr(writer);
    commandLine.execute(args.toArray(String[]::new));
    writer.flush();
    return output.toString().replace(System.lineSeparator(), "\n");
  }

  private static Path locateExamples() {
    // Surefire runs in the module directory; the examples live at the reactor root.
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p.resolve("examples");
      }
    }
    throw new IllegalStateException("no examples/ directory above " + start);
  }
}
