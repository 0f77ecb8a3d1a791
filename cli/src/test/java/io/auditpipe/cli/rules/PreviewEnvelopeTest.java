package io.auditpipe.cli.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.cli.CommandRun;
import io.auditpipe.cli.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rules preview} with record envelopes, and lines that are not UTF-8. */
class PreviewEnvelopeTest {

  @TempDir Path dir;

  private static final String RULES =
      """
      {"version": 1,
       "rules": [{"name": "keyed", "topics": ["t", "u"],
         "action": "thing.{/kind}",
         "organization_id": "org_1",
         "occurred_at": {"record": "timestamp"},
         "actor": {"id": {"key": ""}, "type": "user"},
         "targets": [{"id": {"header": "target"}, "type": "thing"}],
         "context": {"location": "10.0.0.1"},
         "metadata": {"topic": {"record": "topic"}}}]}
      """;

  @Test
  void anEnvelopeGivesItsLineKeyHeadersTopicAndTimestamp() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.json"), RULES);
    Path input =
        Files.writeString(
            dir.resolve("events.jsonl"),
            "{\"key\": \"user_7\", \"value\": {\"kind\": \"made\"}, \"headers\": {\"target\":"
                + " \"th_1\"}, \"topic\": \"u\", \"timestamp\": \"2026-03-02T12:00:00Z\"}\n");

    CommandRun run =
        CommandRun.of(
            "rules",
            "preview",
            rules.toString(),
            "--topic",
            "t",
            "--input",
            input.toString(),
            "--format",
            "jsonl");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out())
        .contains("\"action\":\"thing.made\"")
        .contains("\"actor\":{\"id\":\"user_7\",\"type\":\"user\"}")
        .contains("\"targets\":[{\"id\":\"th_1\",\"type\":\"thing\"}]")
        .contains("\"occurred_at\":\"2026-03-02T12:00:00.000Z\"")
        .contains("\"topic\":\"u\"");
  }

  @Test
  void badLinesAreReportedAndThePreviewCarriesOn() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.json"), RULES);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write("{\"kind\": \"caf".getBytes(StandardCharsets.UTF_8));
    bytes.write(0xE9); // Latin-1 é: not UTF-8
    bytes.write("\"}\n".getBytes(StandardCharsets.UTF_8));
    bytes.write(
        "{\"value\": {\"kind\": \"x\"}, \"timestamp\": \"soon\"}\n{\"key\": \"user_1\", \"value\":"
            .getBytes(StandardCharsets.UTF_8));
    bytes.write(
        " {\"kind\": \"ok\"}, \"headers\": {\"target\": \"th_2\"}}\n"
            .getBytes(StandardCharsets.UTF_8));
    Path input = Files.write(dir.resolve("events.jsonl"), bytes.toByteArray());

    CommandRun run =
        CommandRun.of(
            "rules",
            "preview",
            rules.toString(),
            "--topic",
            "t",
            "--input",
            input.toString(),
            "--timestamp",
            "2026-01-01T00:00:00Z",
            "--format",
            "jsonl");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.RECORDS_FAILED);
    assertThat(run.errLines())
        .containsExactly(
            "line 1, offset 0: not UTF-8 text (byte 14)",
            "line 2, offset 1: record envelope: \"timestamp\": expected epoch milliseconds or"
                + " ISO-8601 text such as 2026-03-02T12:00:00Z, found \"soon\"",
            "3 record(s): 1 mapped into 1 event(s), 0 unmatched, 1 failed, 1 not JSON");
    assertThat(run.outLines()).hasSize(1).first().asString().contains("\"line\":3");
  }

  @Test
  void noEnvelopeTakesAnEnvelopeLookalikeAsTheValue() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.json"), RULES);
    Path input = Files.writeString(dir.resolve("events.jsonl"), "{\"value\": {\"kind\": \"x\"}}\n");

    CommandRun run =
        CommandRun.of(
            "rules",
            "preview",
            rules.toString(),
            "--topic",
            "t",
            "--input",
            input.toString(),
            "--no-envelope",
            "--key",
            "user_9",
            "-H",
            "target=th_9",
            "--format",
            "jsonl");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.RECORDS_FAILED);
    assertThat(run.err()).contains("action");
  }
}
