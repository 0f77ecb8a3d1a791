package io.auditpipe.cli.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.cli.CommandRun;
import io.auditpipe.cli.ExitCodes;
import io.auditpipe.core.rules.IdempotencyKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreviewRulesCommandTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String PAID =
      "{\"type\":\"order.paid\",\"status\":\"paid\",\"ts\":1767225600123,"
          + "\"tenant\":{\"org_id\":\"org_1\"},\"ip\":\"203.0.113.7\",\"user\":{\"id\":\"user_1\"},"
          + "\"order\":{\"id\":\"ord_1\",\"total\":12}}";

  private static final String PAID_REQUEST =
      "{\"organization_id\":\"org_1\",\"event\":{\"action\":\"order.paid\","
          + "\"occurred_at\":\"2026-01-01T00:00:00.123Z\","
          + "\"actor\":{\"id\":\"user_1\",\"type\":\"user\"},"
          + "\"targets\":[{\"id\":\"ord_1\",\"type\":\"order\"}],"
          + "\"context\":{\"location\":\"203.0.113.7\"},\"metadata\":{\"total\":12}}}";

  @TempDir Path dir;

  private final String rules = RulesResources.path("order-rules.json");

  @Test
  void printsTheWorkOsRequestOfEachMappedEvent() throws Exception {
    Path input = Files.writeString(dir.resolve("events.jsonl"), PAID + "\n");

    CommandRun run =
        CommandRun.of("rules", "preview", rules, "--topic", "orders", "--input", input.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines().get(0))
        .isEqualTo(
            "# line 1, offset 0: rule \"order-paid\", Idempotency-Key "
                + IdempotencyKeys.fromCoordinates("orders", 0, 0, "order-paid", 0));
    String body = run.out().substring(run.out().indexOf('\n') + 1);
    assertThat(MAPPER.readTree(body)).isEqualTo(MAPPER.readTree(PAID_REQUEST));
    assertThat(run.err()).contains("1 record(s): 1 mapped into 1 event(s), 0 unmatched");
  }

  @Test
  void badLinesAndFailedRecordsAreReportedWithTheirLineNumberAndDoNotStopThePreview() {
    String input = RulesResources.path("order-events.jsonl");

    CommandRun run =
        CommandRun.of(
            "rules", "preview", rules, "--topic", "orders", "--input", input, "--format", "jsonl");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.RECORDS_FAILED);
    // Lines 1 and 6 map; line 2 is not JSON, line 3 blank, line 4 lacks /user/id, line 5 unmatched.
    List<JsonNode> events = run.outLines().stream().map(PreviewRulesCommandTest::json).toList();
    assertThat(events).extracting(e -> e.get("line").asInt()).containsExactly(1, 6);
    assertThat(events).extracting(e -> e.get("offset").asLong()).containsExactly(0L, 4L);
    assertThat(events.get(0).get("request")).isEqualTo(json(PAID_REQUEST));
    assertThat(events.get(1).at("/request/organization_id").asText()).isEqualTo("org_2");
    assertThat(run.errLines())
        .anySatisfy(line -> assertThat(line).startsWith("line 2, offset 1: not JSON"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("line 4, offset 2: map failed: ")
                    .contains("\"order-paid\"")
                    .contains("actor.id")
                    .contains("/user/id"))
        .noneSatisfy(line -> assertThat(line).startsWith("line 3"))
        .noneSatisfy(line -> assertThat(line).startsWith("line 5"));
    assertThat(run.errLines())
        .last()
        .isEqualTo("5 record(s): 2 mapped into 2 event(s), 1 unmatched, 1 failed, 1 not JSON");
  }

  @Test
  void unmatchedRecordsAreShownInTextFormat() throws Exception {
    Path input =
        Files.writeString(
            dir.resolve("events.jsonl"), PAID.replace("order.paid", "order.created") + "\n");

    CommandRun run =
        CommandRun.of("rules", "preview", rules, "--topic", "orders", "--input", input.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.out())
        .startsWith("# line 1, offset 0: unmatched, no rule selects it (unmatched: skip)");
  }

  @Test
  void partitionAndOffsetStartGiveTheRecordCoordinates() throws Exception {
    Path input = Files.writeString(dir.resolve("events.jsonl"), PAID + "\n" + PAID + "\n");

    CommandRun run =
        CommandRun.of(
            "rules",
            "preview",
            rules,
            "--topic",
            "orders",
            "--input",
            input.toString(),
            "--partition",
            "3",
            "--offset-start",
            "100",
            "--format",
            "jsonl");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines())
        .map(PreviewRulesCommandTest::json)
        .extracting(e -> e.get("idempotency_key").asText())
        .containsExactly(
            IdempotencyKeys.fromCoordinates("orders", 3, 100, "order-paid", 0),
            IdempotencyKeys.fromCoordinates("orders", 3, 101, "order-paid", 0));
  }

  @Test
  void readsStdinWithoutInput() {
    InputStream stdin = System.in;
    System.setIn(new ByteArrayInputStream((PAID + "\n").getBytes(StandardCharsets.UTF_8)));
    CommandRun run;
    try {
      run = CommandRun.of("rules", "preview", rules, "--topic", "orders", "--format", "jsonl");
    } finally {
      System.setIn(stdin);
    }

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(json(run.outLines().get(0)).get("request")).isEqualTo(json(PAID_REQUEST));
  }

  @Test
  void topicNoRuleSelectsIsWarnedAbout() throws Exception {
    Path input = Files.writeString(dir.resolve("events.jsonl"), PAID + "\n");

    CommandRun run =
        CommandRun.of(
            "rules", "preview", rules, "--topic", "payments", "--input", input.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.errLines()).first().asString().contains("no rule selects topic \"payments\"");
  }

  @Test
  void invalidRulesStopThePreview() throws Exception {
    Path input = Files.writeString(dir.resolve("events.jsonl"), PAID + "\n");

    CommandRun run =
        CommandRun.of(
            "rules",
            "preview",
            RulesResources.path("invalid-rules.json"),
            "--topic",
            "orders",
            "--input",
            input.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).anySatisfy(line -> assertThat(line).contains("rules[0]"));
  }

  @Test
  void unreadableInputIsInvalid() {
    Path missing = dir.resolve("missing.jsonl");

    CommandRun run =
        CommandRun.of(
            "rules", "preview", rules, "--topic", "orders", "--input", missing.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.errLines()).containsExactly(missing + ": no such file");
  }

  @Test
  void externalIdsResolveThroughTheGivenTable() throws Exception {
    Path input =
        Files.writeString(
            dir.resolve("logins.jsonl"),
            """
            {"tenant":"acme","user":"u1","at":"2026-01-01T00:00:00Z"}
            {"tenant":"globex","user":"u2","at":"2026-01-01T00:00:00Z"}
            """);

    CommandRun run =
        CommandRun.of(
            "rules",
            "preview",
            RulesResources.path("external-id-rules.json"),
            "--topic",
            "logins",
            "--input",
            input.toString(),
            "--external-id",
            "tenant-acme=org_acme",
            "--format",
            "jsonl");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.RECORDS_FAILED);
    assertThat(run.outLines()).hasSize(1);
    assertThat(json(run.outLines().get(0)).at("/request/organization_id").asText())
        .isEqualTo("org_acme");
    assertThat(run.errLines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "line 2, offset 1: map failed: rules[0] \"login\" organization_id"));
  }

  @Test
  void theKeyIsReadAsThePipelineReadsKeys() throws Exception {
    Path keyed =
        Files.writeString(
            dir.resolve("keyed-rules.json"),
            """
            {"version": 1, "rules": [{"name": "by-key", "topics": ["users"],
              "action": "user.changed", "organization_id": {"key": "/org"},
              "context": {"location": "10.0.0.1"},
              "actor": {"id": {"key": "/user"}, "type": "user"}, "targets": []}]}
            """);
    Path input = Files.writeString(dir.resolve("users.jsonl"), "{}\n");

    CommandRun run =
        CommandRun.of(
            "rules",
            "preview",
            keyed.toString(),
            "--topic",
            "users",
            "--input",
            input.toString(),
            "--key",
            "{\"schema\": null, \"payload\": {\"org\": \"org_k\", \"user\": \"u-7\"}}",
            "--format",
            "jsonl");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    JsonNode request = json(run.outLines().get(0)).get("request");
    assertThat(request.at("/organization_id").asText()).isEqualTo("org_k");
    assertThat(request.at("/event/actor/id").asText()).isEqualTo("u-7");
  }

  @Test
  void topicIsRequired() {
    CommandRun run = CommandRun.of("rules", "preview", rules);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--topic");
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
