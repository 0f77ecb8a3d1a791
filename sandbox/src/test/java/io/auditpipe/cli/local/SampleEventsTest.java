package io.auditpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditpipe.core.rules.RulesCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleEventsTest {

  @TempDir Path dir;

  @Test
  void samplesLoopAndEachPassGetsNewTopLevelIdsWhileBadLinesStayAsTheyAre() throws IOException {
    SampleEvents samples =
        SampleEvents.read(
            Files.writeString(
                dir.resolve("events.jsonl"),
                "{\"event_id\":\"evt_1\",\"user\":{\"id\":\"u_1\"}}\n\nnot json {\n"));

    assertThat(samples.size()).isEqualTo(2);
    assertThat(text(samples.value(0)))
        .isEqualTo("{\"event_id\":\"evt_1\",\"user\":{\"id\":\"u_1\"}}");
    assertThat(text(samples.value(1))).isEqualTo("not json {");
    // Only the top-level id changes: nested ids name real entities and stay the same.
    assertThat(text(samples.value(2)))
        .isEqualTo("{\"event_id\":\"evt_1-1\",\"user\":{\"id\":\"u_1\"}}");
    assertThat(text(samples.value(5))).isEqualTo("not json {");
  }

  @Test
  void aLineThatIsNotUtf8IsReportedAndProducedAsItIs() throws IOException {
    byte[] latin1 = "{\"event_id\":\"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
    Path file = dir.resolve("events.jsonl");
    Files.write(file, latin1);
    Files.writeString(file, "{\"event_id\":\"evt_2\"}\n", java.nio.file.StandardOpenOption.APPEND);

    SampleEvents samples = SampleEvents.read(file);

    assertThat(samples.size()).isEqualTo(2);
    assertThat(samples.problems())
        .containsExactly(
            file + ": line 1: not UTF-8 text (byte 17); produced as it is, to be dead-lettered");
    assertThat(samples.value(2)).isEqualTo(java.util.Arrays.copyOf(latin1, latin1.length - 1));
    assertThat(text(samples.value(3))).isEqualTo("{\"event_id\":\"evt_2-1\"}");
  }

  @Test
  void envelopeLinesGiveKeysHeadersAndTopics() throws IOException {
    SampleEvents samples =
        SampleEvents.read(
            Files.writeString(
                dir.resolve("events.jsonl"),
                "{\"key\": \"inv_1\", \"value\": {\"id\": \"e1\"}, \"headers\": {\"h\": \"v\"},"
                    + " \"topic\": \"other\", \"timestamp\": 1000}\n"));

    var record = samples.record(1, "default-topic");

    assertThat(samples.topics()).containsExactly("other");
    assertThat(record.topic()).isEqualTo("other");
    assertThat(text(record.key())).isEqualTo("inv_1");
    assertThat(text(record.value())).isEqualTo("{\"id\":\"e1-1\"}");
    assertThat(text(record.headers().lastHeader("h").value())).isEqualTo("v");
    assertThat(record.timestamp()).isEqualTo(1000L);
  }

  @Test
  void anEmptyFileIsRefused() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n\n");

    assertThatThrownBy(() -> SampleEvents.read(empty))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("found none");
  }

  @Test
  void theOrganizationsAreThoseTheRulesGiveTheSamples() throws Exception {
    SampleEvents samples = SampleEvents.read(Examples.locate("app-events/events.jsonl"));

    assertThat(
            samples.organizations(
                RulesCompiler.compile(Files.readString(Examples.locate("app-events/rules.json"))),
                "app.events"))
        .containsExactly("org_01HV8Z6YF5N2X0ACME000000", "org_01HV8Z7GLOBEX00000000000");
  }

  private static String text(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }
}
