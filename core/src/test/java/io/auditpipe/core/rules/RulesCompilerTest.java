package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import io.auditpipe.core.model.MetadataValue;
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
  void groupsScopeTheUnmatchedPolicyToTheirTopics() throws Exception {
    String doc =
        """
        {"version": 1, "unmatched": "skip",
         "defaults": {"organization_id": "org_1", "actor": {"id": "u", "type": "user"},
                      "context": {"location": "l"}},
         "groups": {
           "app": {"topics": ["app.events"], "unmatched": "dlq"},
           "cdc": {"unmatched": "skip"},
           "audit": {"topic_pattern": "audit\\\\..*", "unmatched": "dlq"},
           "both": {"topics": ["shared"], "unmatched": "skip"},
           "plain": {}
         },
         "rules": [
           {"name": "a", "group": "app", "action": "a", "targets": []},
           {"name": "c", "group": "cdc", "topics": ["db.rows"], "action": "c", "targets": []},
           {"name": "s", "group": "audit", "topics": ["shared"], "action": "s", "targets": []},
           {"name": "p", "group": "plain", "topics": ["other"], "action": "p", "targets": []}
         ]}
        """;
    CompiledRules rules = RulesCompiler.compile(doc);
    assertThat(rules.topics())
        .containsExactlyInAnyOrder("app.events", "db.rows", "shared", "other");
    assertThat(rules.unmatchedPolicy()).isEqualTo(UnmatchedPolicy.SKIP);
    assertThat(rules.unmatchedPolicy("app.events")).isEqualTo(UnmatchedPolicy.DLQ);
    assertThat(rules.unmatchedPolicy("db.rows")).isEqualTo(UnmatchedPolicy.SKIP);
    assertThat(rules.unmatchedPolicy("audit.x")).isEqualTo(UnmatchedPolicy.DLQ);
    // "audit" covers its own pattern, not its rules' topics: only "both" speaks for "shared".
    assertThat(rules.unmatchedPolicy("shared")).isEqualTo(UnmatchedPolicy.SKIP);
    assertThat(rules.unmatchedPolicy("other")).isEqualTo(UnmatchedPolicy.SKIP);
    assertThat(rules.mayDeadLetterUnmatched()).isTrue();
    assertThat(RulesCompiler.compile(DOC.replace("\"dlq\"", "\"skip\"")).mayDeadLetterUnmatched())
        .isFalse();
    assertThat(
            RulesCompiler.compile(
                    doc.replace("\"unmatched\": \"skip\",\n", "\"unmatched\": \"dlq\",\n"))
                .unmatchedPolicy("db.rows"))
        .isEqualTo(UnmatchedPolicy.SKIP);
    assertThat(
            RulesCompiler.compile(
                    doc.replace(
                        "\"both\": {\"topics\": [\"shared\"], \"unmatched\": \"skip\"}",
                        "\"both\": {\"topics\": [\"shared\", \"app.events\"], \"unmatched\": \"skip\"}"))
                .unmatchedPolicy("app.events"))
        .as("groups that disagree: dlq wins")
        .isEqualTo(UnmatchedPolicy.DLQ);
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
  void defaultActorMetadataMergesKeyByKeyUnderTheRulesOwn() throws Exception {
    CompiledRules rules =
        RulesCompiler.compile(
            """
            {"version": 1,
             "defaults": {"organization_id": "org_1", "context": {"location": "0.0.0.0"},
                          "actor": {"type": "user", "metadata": {"team": "core", "tier": "free"}}},
             "groups": {"paid": {"defaults": {"actor": {"metadata": {"tier": "paid"}}}}},
             "rules": [{"name": "a", "group": "paid", "topics": ["t"], "action": "x.done",
               "actor": {"id": "u", "metadata": {"seat": 3}}, "targets": []}]}
            """);

    MappingOutcome outcome = rules.map(NullNode.getInstance(), RecordContext.of("t", 0, 0));

    assertThat(outcome).isInstanceOf(MappingOutcome.Mapped.class);
    Map<String, MetadataValue> metadata =
        ((MappingOutcome.Mapped) outcome).events().get(0).event().actor().metadata().values();
    assertThat(metadata)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "team", MetadataValue.of("core"),
                "tier", MetadataValue.of("paid"),
                "seat", MetadataValue.of(3L)));
    assertThat(rules.rules().get(0).actorMetadata()).containsOnlyKeys("team", "tier", "seat");
  }

  @Test
  void validDocumentHasNoErrors() {
    assertThat(RulesCompiler.validate(DOC)).isEmpty();
  }
}
