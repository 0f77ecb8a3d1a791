package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesCompilerTest {

  private static final String DOC =
      """
      {"version": 1, "unmatched": "dlq",
       "defaults": {"organization_id": "org_1", "actor": {"id": "u", "type": "user"},
                    "context": {"location": "l"}},
       "rules": [
         {"name": "b", "topics": ["orders", "payments"], "action": "a", "targets": []},
         {"name": "a", "topic_pattern": "audit\\\\..*", "action": "a", "targets": []},
         {"name": "c", "topic_pattern": "legacy-[0-9]+", "topics": ["orders"], "action": "c",
          "targets": []}
       ]}
      """;

  @Test
  void describesWhatItSelects() throws Exception {
    CompiledRules rules = RulesCompiler.compile(DOC);
    assertThat(rules.ruleNames()).containsExactly("b", "a", "c");
    assertThat(rules.topics()).containsExactlyInAnyOrder("orders", "payments");
    assertThat(rules.topicPattern()).isPresent();
    assertThat(rules.topicPattern().get().matcher("audit.x").matches()).isTrue();
    assertThat(rules.topicPattern().get().matcher("legacy-7").matches()).isTrue();
    assertThat(rules.topicPattern().get().matcher("orders").matches()).isFalse();
    assertThat(rules.unmatchedPolicy()).isEqualTo(UnmatchedPolicy.DLQ);
    assertThat(RulesCompiler.compile(DOC.replace("\"dlq\"", "\"skip\"")).unmatchedPolicy())
        .isEqualTo(UnmatchedPolicy.SKIP);
  }

  @Test
  void patternTopicsAndTombstones() throws Exception {
    CompiledRules rules = RulesCompiler.compile(DOC);
    assertThat(rules.map(NullNode.instance, RecordContext.of("audit.log", 0, 1)))
        .isInstanceOf(MappingOutcome.Mapped.class);
    assertThat(rules.map(null, RecordContext.of("legacy-12", 0, 1)))
        .isInstanceOf(MappingOutcome.Mapped.class);
    assertThat(rules.map(null, RecordContext.of("nothing", 0, 1)))
        .isInstanceOf(MappingOutcome.Unmatched.class);
    MappingOutcome both = rules.map(null, RecordContext.of("orders", 2, 9));
    assertThat(((MappingOutcome.Mapped) both).events())
        .extracting(MappedEvent::rule, MappedEvent::idempotencyKey)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "b", IdempotencyKeys.fromCoordinates("orders", 2, 9, "b", 0)),
            org.assertj.core.groups.Tuple.tuple(
                "c", IdempotencyKeys.fromCoordinates("orders", 2, 9, "c", 0)));
  }

  @Test
  void occurredAtFallsBackToTheRecordThenTheClock() throws Exception {
    Instant now = Instant.parse("2026-03-01T00:00:00Z");
    CompiledRules rules =
        RulesCompiler.compile(DOC, OrganizationResolver.none(), Clock.fixed(now, ZoneOffset.UTC));
    MappingOutcome.Mapped noTimestamp =
        (MappingOutcome.Mapped) rules.map(null, RecordContext.of("payments", 0, 1));
    assertThat(noTimestamp.events().get(0).event().occurredAt()).isEqualTo(now);
    Instant recordTime = Instant.parse("2026-02-01T00:00:00.123Z");
    RecordContext ctx =
        new RecordContext("payments", 0, 1, Optional.of(recordTime), Optional.empty(), Map.of());
    MappingOutcome.Mapped withTimestamp = (MappingOutcome.Mapped) rules.map(null, ctx);
    assertThat(withTimestamp.events().get(0).event().occurredAt()).isEqualTo(recordTime);
  }

  @Test
  void compilesAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, DOC);
    assertThat(RulesCompiler.compile(file, OrganizationResolver.none()).ruleNames()).hasSize(3);
  }

  @Test
  void validDocumentHasNoErrors() {
    assertThat(RulesCompiler.validate(DOC)).isEmpty();
  }
}
