package io.auditpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorMainTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void rejectsAnUnknownArgument() {
    assertThat(run("--nope")).isEqualTo(ProcessorMain.EXIT_USAGE);
    assertThat(err()).contains("unknown argument: --nope").contains("--config");
  }

  @Test
  void reportsAMissingKeyByName() throws Exception {
    Path config = Files.writeString(dir.resolve("p.properties"), "bootstrap.servers=x:1\n");

    assertThat(run("--config", config.toString())).isEqualTo(ProcessorMain.EXIT_FAILED);
    assertThat(err()).contains("invalid configuration").contains("rules.path");
  }

  @Test
  void reportsEveryRulesErrorBeforeConnectingToKafka() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.json"), "{\"version\": 1, \"rules\": [{}]}");
    Path config =
        Files.writeString(
            dir.resolve("p.properties"),
            "bootstrap.servers=x:1\nrules.path=" + rules.toString().replace("\\", "/") + "\n");

    assertThat(run("--config", config.toString())).isEqualTo(ProcessorMain.EXIT_FAILED);
    assertThat(err()).contains("invalid rules document").contains("rules[0]");
  }

  @Test
  void reportsAMissingRulesFile() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("p.properties"),
            "bootstrap.servers=x:1\nrules.path=" + dir.resolve("absent.json") + "\n");

    assertThat(run("--config", config.toString())).isEqualTo(ProcessorMain.EXIT_FAILED);
    assertThat(err()).contains("absent.json: no such file").doesNotContain("Exception");
  }

  private int run(String... args) {
    return ProcessorMain.run(args, Map.of(), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
