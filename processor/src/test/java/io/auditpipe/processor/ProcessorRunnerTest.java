package io.auditpipe.processor;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditpipe.processor.config.ProcessorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the processor refuses before it connects to Kafka. */
class ProcessorRunnerTest {

  @TempDir Path dir;

  @Test
  void reportsEveryRulesErrorByLocation() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.json"), "{\"version\": 1, \"rules\": [{}]}");

    assertThatThrownBy(() -> ProcessorRunner.prepare(config(rules)))
        .isInstanceOf(ProcessorStartException.class)
        .hasMessageContaining("invalid rules document")
        .hasMessageContaining("rules[0]");
  }

  @Test
  void reportsAMissingRulesFileAndTheKeyToFix() {
    assertThatThrownBy(() -> ProcessorRunner.prepare(config(dir.resolve("absent.json"))))
        .isInstanceOf(ProcessorStartException.class)
        .hasMessageContaining("absent.json: no such file")
        .hasMessageContaining("rules.path")
        .hasMessageNotContaining("Exception");
  }

  @Test
  void refusesRulesThatResolveOrganizationsByExternalIdNamingTheRule() throws Exception {
    Path rules =
        Files.writeString(
            dir.resolve("rules.json"),
            """
            {"version": 1, "rules": [
              {"name": "direct", "topics": ["app.events"], "action": "a.b",
               "organization_id": {"path": "/org"},
               "actor": {"id": "u", "type": "user"}, "targets": [],
               "context": {"location": "0.0.0.0"}},
              {"name": "by-tenant", "topics": ["app.events"], "action": "a.c",
               "organization_id": {"external_id": "{/tenant}"},
               "actor": {"id": "u", "type": "user"}, "targets": [],
               "context": {"location": "0.0.0.0"}}]}
            """);

    assertThatThrownBy(() -> ProcessorRunner.prepare(config(rules)))
        .isInstanceOf(ProcessorStartException.class)
        .hasMessageContaining("rules[1] \"by-tenant\"")
        .hasMessageContaining("external_id")
        .hasMessageContaining("connector")
        .hasMessageNotContaining("\"direct\"");
  }

  private static ProcessorConfig config(Path rules) {
    return new ProcessorConfig(
        Map.of("bootstrap.servers", "localhost:1", "rules.path", rules.toString()));
  }
}
