package io.auditpipe.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AuditEventJsonTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static AuditEvent fullEvent() {
    Map<String, MetadataValue> md = new LinkedHashMap<>();
    md.put("plan", MetadataValue.of("enterprise"));
    md.put("seats", MetadataValue.of(12L));
    md.put("ratio", MetadataValue.of(0.5));
    md.put("trial", MetadataValue.of(false));
    return new AuditEvent(
        "org_01EHWNCE74X7JSDV0X3SZ3KJNY",
        "user.signed_in",
        Instant.parse("2022-09-02T16:35:39.317123Z"),
        OptionalInt.of(1),
        new Actor(
            "user_1",
            "user",
            Optional.of("Jon"),
            Metadata.of(Map.of("role", MetadataValue.of("admin")))),
        List.of(new Target("team_1", "team", Optional.of("Core"), Metadata.empty())),
        new Context("1.1.1.1", Optional.of("Chrome/104")),
        Metadata.of(md));
  }

  /** Only what WorkOS requires, and {@code metadata}. */
  static AuditEvent minimalEvent(Metadata metadata) {
    return new AuditEvent(
        "org_1",
        "a.b",
        Instant.parse("2024-01-01T00:00:00Z"),
        OptionalInt.empty(),
        new Actor("u", "user"),
        List.of(),
        new Context("10.0.0.1"),
        metadata);
  }

  @Test
  void bodiesWrittenOneAfterAnotherAreEachOneDocument() {
    byte[] first = AuditEventJson.toRequestBody(fullEvent());
    byte[] second = AuditEventJson.toRequestBody(fullEvent());
    ByteArrayOutputStream streamed = new ByteArrayOutputStream();
    AuditEventJson.writeRequestBody(fullEvent(), streamed);
    assertThat(second).isEqualTo(first).isEqualTo(streamed.toByteArray());
    assertThat(new String(second, StandardCharsets.UTF_8)).startsWith("{").endsWith("}");
  }

  @Test
  void aBodyLargerThanTheGeneratorsBufferIsWrittenWhole() throws Exception {
    Map<String, MetadataValue> md = new LinkedHashMap<>();
    for (int i = 0; i < WorkOsLimits.MAX_METADATA_KEYS; i++) {
      md.put("key_" + i, MetadataValue.of(Character.toString('a' + i % 26).repeat(500)));
    }
    AuditEvent large = minimalEvent(Metadata.of(md));
    ByteArrayOutputStream streamed = new ByteArrayOutputStream();
    AuditEventJson.writeRequestBody(large, streamed);

    byte[] body = AuditEventJson.toRequestBody(large);
    byte[] small = AuditEventJson.toRequestBody(fullEvent());

    assertThat(body).hasSizeGreaterThan(3 * 8_000).isEqualTo(streamed.toByteArray());
    assertThat(AuditEventJson.readRequestBody(MAPPER.readTree(body)))
        .isEqualTo(new AuditEventJson.Parsed(large));
    assertThat(new String(small, StandardCharsets.UTF_8))
        .startsWith("{\"organization_id\":\"org_01");
  }

  @Test
  void writesTheWorkOsRequestBodyExactly() {
    String json = new String(AuditEventJson.toRequestBody(fullEvent()), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"organization_id\":\"org_01EHWNCE74X7JSDV0X3SZ3KJNY\",\"event\":{"
                + "\"action\":\"user.signed_in\",\"occurred_at\":\"2022-09-02T16:35:39.317Z\",\"version\":1,"
                + "\"actor\":{\"id\":\"user_1\",\"type\":\"user\",\"name\":\"Jon\",\"metadata\":{\"role\":\"admin\"}},"
                + "\"targets\":[{\"id\":\"team_1\",\"type\":\"team\",\"name\":\"Core\"}],"
                + "\"context\":{\"location\":\"1.1.1.1\",\"user_agent\":\"Chrome/104\"},"
                + "\"metadata\":{\"plan\":\"enterprise\",\"seats\":12,\"ratio\":0.5,\"trial\":false}}}");
  }

  @Test
  void leavesAbsentOptionalsOutInsteadOfWritingNull() {
    AuditEvent minimal = minimalEvent(Metadata.empty());

    String json = new String(AuditEventJson.toRequestBody(minimal), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"organization_id\":\"org_1\",\"event\":{\"action\":\"a.b\","
                + "\"occurred_at\":\"2024-01-01T00:00:00.000Z\",\"actor\":{\"id\":\"u\",\"type\":\"user\"},"
                + "\"targets\":[],\"context\":{\"location\":\"10.0.0.1\"}}}")
        .doesNotContain("null");
  }

  @Test
  void readsWhatItWrites() throws Exception {
    AuditEvent event = fullEvent();
    JsonNode tree = MAPPER.readTree(AuditEventJson.toRequestBody(event));

    AuditEventJson.ReadResult read = AuditEventJson.readRequestBody(tree);

    assertThat(read).isEqualTo(new AuditEventJson.Parsed(event));
  }

  @Test
  void acceptsExplicitNullForOptionalFieldsAsTheJavaSdkSendsThem() throws Exception {
    JsonNode body =
        MAPPER.readTree(
            "{\"organization_id\":\"org_1\",\"event\":{\"action\":\"a\",\"occurred_at\":\"2024-01-01T00:00:00+02:00\","
                + "\"version\":null,\"actor\":{\"id\":\"u\",\"type\":\"user\",\"name\":null,\"metadata\":null},"
                + "\"targets\":[{\"id\":\"t\",\"type\":\"team\",\"name\":null}],"
                + "\"context\":{\"location\":\"1.1.1.1\",\"user_agent\":null},\"metadata\":null}}");

    AuditEventJson.ReadResult read = AuditEventJson.readRequestBody(body);

    assertThat(read).isInstanceOf(AuditEventJson.Parsed.class);
    AuditEvent event = ((AuditEventJson.Parsed) read).event();
    assertThat(event.occurredAt()).isEqualTo(Instant.parse("2023-12-31T22:00:00Z"));
    assertThat(event.actor().name()).isEmpty();
    assertThat(event.version()).isEmpty();
  }

  @Test
  void reportsEveryMissingOrMistypedFieldWithItsLocation() throws Exception {
    JsonNode body =
        MAPPER.readTree(
            "{\"event\":{\"occurred_at\":\"yesterday\",\"version\":\"1\",\"actor\":{\"id\":7},"
                + "\"targets\":[{\"id\":\"t\"},\"x\"],\"context\":{},\"metadata\":{\"nested\":{\"a\":1}}}}");

    AuditEventJson.ReadResult read = AuditEventJson.readRequestBody(body);

    assertThat(read).isInstanceOf(AuditEventJson.Invalid.class);
    assertThat(((AuditEventJson.Invalid) read).violations())
        .extracting(Violation::field, Violation::code)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("organization_id", "required"),
            org.assertj.core.groups.Tuple.tuple("event.action", "required"),
            org.assertj.core.groups.Tuple.tuple("event.occurred_at", "invalid_value"),
            org.assertj.core.groups.Tuple.tuple("event.version", "invalid_type"),
            org.assertj.core.groups.Tuple.tuple("event.actor.id", "invalid_type"),
            org.assertj.core.groups.Tuple.tuple("event.actor.type", "required"),
            org.assertj.core.groups.Tuple.tuple("event.targets[0].type", "required"),
            org.assertj.core.groups.Tuple.tuple("event.targets[1]", "invalid_type"),
            org.assertj.core.groups.Tuple.tuple("event.context.location", "required"),
            org.assertj.core.groups.Tuple.tuple("event.metadata.nested", "invalid_type"));
  }

  @Test
  void truncatesOccurredAtToMillisecondsSoRoundTripsAreExact() {
    assertThat(fullEvent().occurredAt()).isEqualTo(Instant.parse("2022-09-02T16:35:39.317Z"));
  }
}
