package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static io.auditpipe.emulator.Http.event;
import static io.auditpipe.emulator.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiSurfaceTest {

  static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));

  @AutoClose
  static final WorkOsEmulator workos =
      WorkOsEmulator.builder()
          .organization(ORG, "acme")
          .organization("org_other", "globex")
          .clock(CLOCK)
          .exportReadyAfter(Duration.ofSeconds(5))
          .start();

  private Http http;

  @BeforeEach
  void client() {
    workos.reset();
    http = new Http(workos.baseUrl(), workos.apiKey());
  }

  private static String schema(String type) {
    return "{\"targets\":[{\"type\":\"" + type + "\"}]}";
  }

  @Test
  void schemaVersionsAndActionsPage() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(
              http.post("/audit_logs/actions/user.signed_in/schemas", schema("team")).statusCode())
          .isEqualTo(201);
    }
    http.post("/audit_logs/actions/doc.viewed/schemas", schema("doc"));

    JsonNode first = json(http.get("/audit_logs/actions/user.signed_in/schemas?limit=2"));
    assertThat(first.path("data").findValuesAsText("version")).containsExactly("3", "2");
    String after = first.path("list_metadata").path("after").asText();
    JsonNode second =
        json(http.get("/audit_logs/actions/user.signed_in/schemas?limit=2&after=" + after));
    assertThat(second.path("data").findValuesAsText("version")).containsExactly("1");
    assertThat(second.path("list_metadata").path("after").isNull()).isTrue();

    JsonNode asc = json(http.get("/audit_logs/actions/user.signed_in/schemas?order=asc"));
    assertThat(asc.path("data").findValuesAsText("version")).containsExactly("1", "2", "3");
    assertThat(asc.path("data").get(0).path("object").asText()).isEqualTo("audit_log_schema");

    JsonNode actions = json(http.get("/audit_logs/actions?order=asc"));
    assertThat(actions.path("data").findValuesAsText("name"))
        .containsExactly("user.signed_in", "doc.viewed");
    assertThat(actions.path("data").get(0).path("schema").path("version").asInt()).isEqualTo(3);

    HttpResponse<String> invalid = http.post("/audit_logs/actions/x/schemas", "{\"targets\":[]}");
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(http.get("/audit_logs/actions/unknown/schemas").statusCode()).isEqualTo(404);
    assertThat(http.get("/audit_logs/actions?limit=101").statusCode()).isEqualTo(422);
  }

  @Test
  void exportsGoFromPendingToReadyWithACsvUrlThatExpires() throws Exception {
    http.post("/audit_logs/events", event(ORG, "user.signed_in"));
    http.post("/audit_logs/events", event(ORG, "doc.viewed"));
    http.post("/audit_logs/events", event("org_other", "user.signed_in"));
    String body =
        "{\"organization_id\":\""
            + ORG
            + "\",\"range_start\":\"2026-09-01T00:00:00Z\","
            + "\"range_end\":\"2026-11-01T00:00:00Z\",\"actions\":[\"user.signed_in\"],"
            + "\"actor_names\":null,\"targets\":[\"team\"]}";

    HttpResponse<String> created = http.post("/audit_logs/exports", body);
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode export = json(created);
    assertThat(export.path("state").asText()).isEqualTo("pending");
    String id = export.path("id").asText();
    assertThat(id).startsWith("audit_log_export_");
    assertThat(json(http.get("/audit_logs/exports/" + id)).path("state").asText())
        .isEqualTo("pending");

    CLOCK.advance(Duration.ofSeconds(5));
    JsonNode ready = json(http.get("/audit_logs/exports/" + id));
    assertThat(ready.path("state").asText()).isEqualTo("ready");
    URI url = URI.create(ready.path("url").asText());
    HttpResponse<String> csv = http.send(HttpRequest.newBuilder(url).GET().build());
    assertThat(csv.statusCode()).isEqualTo(200);
    String[] lines = csv.body().split("\r\n");
    assertThat(lines[0])
        .isEqualTo(
            "id,occurred_at,action,version,actor_id,actor_type,actor_name,actor_metadata,"
                + "targets,location,user_agent,metadata");
    assertThat(lines).hasSize(2);
    assertThat(lines[1]).contains(",user.signed_in,,user_1,user,Jon,").contains("1.1.1.1");

    CLOCK.advance(Duration.ofMinutes(10));
    assertThat(http.send(HttpRequest.newBuilder(url).GET().build()).statusCode()).isEqualTo(403);
    URI fresh = URI.create(json(http.get("/audit_logs/exports/" + id)).path("url").asText());
    assertThat(http.send(HttpRequest.newBuilder(fresh).GET().build()).statusCode()).isEqualTo(200);
  }

  @Test
  void exportsOutsideThePastThreeMonthsAreRefused() throws Exception {
    HttpResponse<String> old =
        http.post(
            "/audit_logs/exports",
            "{\"organization_id\":\""
                + ORG
                + "\",\"range_start\":\"2026-01-01T00:00:00Z\","
                + "\"range_end\":\"2026-02-01T00:00:00Z\"}");
    assertThat(old.statusCode()).isEqualTo(400);
    assertThat(json(old).path("code").asText()).isEqualTo("invalid_audit_log_export_range_date");

    HttpResponse<String> missing =
        http.post("/audit_logs/exports", "{\"organization_id\":\"" + ORG + "\"}");
    assertThat(missing.statusCode()).isEqualTo(422);
    assertThat(http.get("/audit_logs/exports/audit_log_export_nope").statusCode()).isEqualTo(404);
  }

  @Test
  void retentionAcceptsBothRequestShapes() throws Exception {
    String path = "/organizations/" + ORG + "/audit_logs_retention";
    assertThat(json(http.get(path)).path("retention_period_in_days").isNull()).isTrue();

    assertThat(
            json(http.put(path, "{\"retention_period_in_days\":365}"))
                .path("retention_period_in_days")
                .asInt())
        .isEqualTo(365);
    assertThat(
            json(http.put(path, "{\"retention_period\":\"1_MONTH\"}"))
                .path("retention_period_in_days")
                .asInt())
        .isEqualTo(30);
    assertThat(json(http.get(path)).path("retention_period_in_days").asInt()).isEqualTo(30);

    assertThat(http.put(path, "{\"retention_period_in_days\":31}").statusCode()).isEqualTo(422);
    assertThat(http.get("/organizations/org_nope/audit_logs_retention").statusCode())
        .isEqualTo(404);
  }

  @Test
  void organizationsByIdAndExternalIdAndAdminSeeding() throws Exception {
    JsonNode byExt = json(http.get("/organizations/external_id/globex"));
    assertThat(byExt.path("object").asText()).isEqualTo("organization");
    assertThat(byExt.path("id").asText()).isEqualTo("org_other");
    assertThat(json(http.get("/organizations/" + ORG)).path("external_id").asText())
        .isEqualTo("acme");
    assertThat(http.get("/organizations/external_id/initech").statusCode()).isEqualTo(404);

    HttpResponse<String> added =
        http.post("/_emulator/organizations", "{\"id\":\"org_new\",\"external_id\":\"initech\"}");
    assertThat(added.statusCode()).isEqualTo(201);
    assertThat(json(http.get("/organizations/external_id/initech")).path("id").asText())
        .isEqualTo("org_new");
    assertThat(http.post("/audit_logs/events", event("org_new", "a")).statusCode()).isEqualTo(201);
  }

  @Test
  void legacyEventsAreCreatedAndFiltered() throws Exception {
    String e1 =
        "{\"group\":\"acme\",\"location\":\"1.1.1.1\",\"action\":\"user.login\","
            + "\"action_type\":\"C\",\"actor_name\":\"Jon\",\"actor_id\":\"user_1\","
            + "\"target_name\":\"app\",\"target_id\":\"app_1\","
            + "\"occurred_at\":\"2026-10-01T00:00:00.000Z\",\"metadata\":{\"a\":\"b\"}}";
    String e2 = e1.replace("user.login", "user.logout").replace("2026-10-01", "2026-10-02");
    assertThat(http.post("/events", e1).statusCode()).isEqualTo(201);
    assertThat(http.post("/events", e2).statusCode()).isEqualTo(201);

    JsonNode filtered = json(http.get("/events?action%5B%5D=user.logout"));
    assertThat(filtered.path("data").findValuesAsText("action")).containsExactly("user.logout");
    JsonNode byTime = json(http.get("/events?occurred_at_lt=2026-10-01T12:00:00Z"));
    assertThat(byTime.path("data").findValuesAsText("action")).containsExactly("user.login");

    HttpResponse<String> invalid = http.post("/events", e1.replace("\"action_type\":\"C\",", ""));
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(invalid.body())
        .isEqualTo(
            "{\"message\":\"Validation failed\",\"errors\":[{\"field\":\"action_type\","
                + "\"code\":\"action_type must be a string\"}]}");
  }

  @Test
  void inspectionListsFiltersCountsResetsAndServesThePage() throws Exception {
    http.post("/audit_logs/events", event(ORG, "a"), "key-a");
    http.post("/audit_logs/events", event(ORG, "b"));
    http.post("/audit_logs/events", event("org_other", "a"));

    JsonNode all = json(http.get("/_emulator/events?organization_id=" + ORG + "&limit=1"));
    assertThat(all.path("total").asInt()).isEqualTo(2);
    assertThat(all.path("data")).hasSize(1);
    assertThat(all.path("data").get(0).path("idempotency_key").asText()).isEqualTo("key-a");
    assertThat(json(http.get("/_emulator/events?action=a")).path("total").asInt()).isEqualTo(2);
    assertThat(json(http.get("/_emulator/counters")).path("requestsByStatus").path("201").asInt())
        .isEqualTo(3);

    HttpResponse<String> page = http.get("/");
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    // The page renders in the browser from the JSON API (EmulatorPageIT drives it).
    assertThat(page.body()).contains("/_emulator/page/page.js", "id=\"events\"");
    HttpResponse<String> script = http.get("/_emulator/page/page.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
    assertThat(script.body()).contains("/_emulator/events?");
    assertThat(http.get("/_emulator/page/nothing.js").statusCode()).isEqualTo(404);

    http.post("/_emulator/reset", "");
    assertThat(workos.events()).isEmpty();
    assertThat(workos.counters().requests(201)).isZero();
  }
}
