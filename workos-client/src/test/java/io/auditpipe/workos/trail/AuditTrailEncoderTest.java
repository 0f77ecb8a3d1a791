package io.auditpipe.workos.trail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.core.model.Actor;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.Context;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditTrailEncoderTest {

  @ParameterizedTest
  @CsvSource({
    "user.created, C",
    "team.member_added, C",
    "user.signed_up, C",
    "document.updated, U",
    "user.role_changed, U",
    "order.cancelled, U",
    "user.deleted, D",
    "api_key.revoked, D",
    "user.signed_in, R",
    "report.exported, R",
    "Document.DELETED, D",
    "deleted, D",
  })
  void actionTypeFromTheVerb(String action, ActionType expected) {
    assertThat(ActionType.derive(action)).isEqualTo(expected);
  }

  @Test
  void flattensTheEvent() throws Exception {
    Map<String, MetadataValue> md = new LinkedHashMap<>();
    md.put("plan", MetadataValue.of("enterprise"));
    md.put("seats", MetadataValue.of(12));
    AuditEvent e =
        new AuditEvent(
            "org_1",
            "user.signed_in",
            Instant.parse("2022-09-02T16:35:39.317Z"),
            OptionalInt.empty(),
            new Actor("user_1", "user", Optional.of("Jon"), Metadata.empty()),
            List.of(new Target("team_1", "team"), new Target("team_2", "team")),
            new Context("1.1.1.1"),
            Metadata.of(md));
    JsonNode n = new ObjectMapper().readTree(AuditTrailEncoder.toRequestBody(e));
    assertThat(n.toString())
        .isEqualTo(
            "{\"group\":\"org_1\",\"location\":\"1.1.1.1\",\"action\":\"user.signed_in\","
                + "\"action_type\":\"R\",\"actor_name\":\"Jon\",\"actor_id\":\"user_1\","
                + "\"target_name\":\"team_1\",\"target_id\":\"team_1\","
                + "\"occurred_at\":\"2022-09-02T16:35:39.317Z\","
                + "\"metadata\":{\"plan\":\"enterprise\",\"seats\":\"12\"}}");
  }

  @Test
  void explicitActionTypeInMetadataWinsAndIsNotSent() throws Exception {
    AuditEvent e =
        new AuditEvent(
            "org_1",
            "user.signed_in",
            Instant.parse("2022-09-02T16:35:39.317Z"),
            OptionalInt.empty(),
            new Actor("user_1", "user"),
            List.of(),
            new Context("1.1.1.1"),
            Metadata.of(Map.of("action_type", MetadataValue.of("u"))));
    JsonNode n = new ObjectMapper().readTree(AuditTrailEncoder.toRequestBody(e));
    assertThat(n.path("action_type").asText()).isEqualTo("U");
    assertThat(n.has("metadata")).isFalse();
    assertThat(n.path("actor_name").asText()).isEqualTo("user_1");
    assertThat(n.path("target_id").asText()).isEqualTo("org_1");
  }
}
