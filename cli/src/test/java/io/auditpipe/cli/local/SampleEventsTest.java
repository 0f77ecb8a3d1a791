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
