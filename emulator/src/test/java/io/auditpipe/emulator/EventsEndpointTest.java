package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static io.auditpipe.emulator.Http.event;
import static io.auditpipe.emulator.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventsEndpointTest {

  @AutoClose static final WorkOsEmulator workos = WorkOsEmulator.builder().noRateLimit().start();

  private Http http;

  @BeforeEach
  void client() {
    workos.reset();
    http = new Http(workos.baseUrl(), workos.apiKey());
  }

  @Test
  void storesAValidEventAndAnswers201WithARequestId() throws Exception {
    HttpResponse<String> r = http.post("/audit_logs/events", event(ORG, "user.signed_in"));

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.body()).isEqualTo("{\"success\":true}");
    assertThat(r.headers().firstValue("X-Request-Id"))
        .hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    assertThat(workos.events(ORG))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.event().action()).isEqualTo("user.signed_in");
              assertThat(e.json().path("metadata").path("plan").asText()).isEqualTo("enterprise");
            });
    assertThat(workos.counters().requests(201)).isEqualTo(1);
  }

  @Test
  void acceptsExplicitNullsForOptionalFields() throws Exception {
    String body =
        event(ORG, "a")
            .replace("\"name\":\"Jon\",", "\"name\":null,")
            .replace("\"user_agent\":\"Chrome/104\"", "\"user_agent\":null");

    assertThat(http.post("/audit_logs/events", body).statusCode()).isEqualTo(201);
  }

  @Test
  void missingFieldsGive422WithWorkOsBody() throws Exception {
    String body = event(ORG, "a").replace("\"action\":\"a\",", "");

    HttpResponse<String> r = http.post("/audit_logs/events", body);

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(json(r))
        .isEqualTo(
            Http.MAPPER.readTree(
                "{\"message\":\"Validation failed.\",\"errors\":[{\"code\":\"required\",\"field\":\"event.action\"}]}"));
    assertThat(workos.events()).isEmpty();
  }

  @Test
  void metadataLimitsGive422NamingTheField() throws Exception {
    String longValue = "x".repeat(501);
    String body =
        event(ORG, "a").replace("\"plan\":\"enterprise\"", "\"plan\":\"" + longValue + "\"");

    HttpResponse<String> r = http.post("/audit_logs/events", body);

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(json(r).path("errors").get(0).path("field").asText())
        .isEqualTo("event.metadata.plan");
  }

  @Test
  void unknownOrganizationGives404() throws Exception {
    HttpResponse<String> r = http.post("/audit_logs/events", event("org_unknown", "a"));

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"message\":\"Organization not found: 'org_unknown'.\"}");
  }

  @Test
  void missingOrWrongKeyGives401() throws Exception {
    HttpResponse<String> r =
        new Http(workos.baseUrl(), "sk_test_wrong").post("/audit_logs/events", event(ORG, "a"));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
  }

  @Test
  void malformedJsonGives400() throws Exception {
    HttpResponse<String> r = http.post("/audit_logs/events", "{not json");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).path("message").asText()).isNotEmpty();
  }

  @Test
  void schemaViolationsGive400InvalidAuditLogHonouringVersion() throws Exception {
    String v1 =
        "{\"targets\":[{\"type\":\"team\"}],"
            + "\"metadata\":{\"type\":\"object\",\"properties\":{\"plan\":{\"type\":\"integer\"}}}}";
    String v2 =
        "{\"targets\":[{\"type\":\"team\"}],"
            + "\"metadata\":{\"type\":\"object\",\"properties\":{\"plan\":{\"type\":\"string\"}}}}";
    assertThat(http.post("/audit_logs/actions/user.signed_in/schemas", v1).statusCode())
        .isEqualTo(201);
    assertThat(
            json(http.post("/audit_logs/actions/user.signed_in/schemas", v2))
                .path("version")
                .asInt())
        .isEqualTo(2);

    HttpResponse<String> rejected = http.post("/audit_logs/events", event(ORG, "user.signed_in"));
    HttpResponse<String> accepted =
        http.post(
            "/audit_logs/events",
            event(ORG, "user.signed_in").replace("\"action\":", "\"version\":2,\"action\":"));
    HttpResponse<String> missingTarget =
        http.post(
            "/audit_logs/events",
            event(ORG, "user.signed_in")
                .replace("\"type\":\"team\"", "\"type\":\"repo\"")
                .replace("\"action\":", "\"version\":2,\"action\":"));

    assertThat(rejected.statusCode()).isEqualTo(400);
    assertThat(json(rejected).path("code").asText()).isEqualTo("invalid_audit_log");
    assertThat(json(rejected).path("errors").get(0).path("instancePath").asText())
        .isEqualTo("/metadata/plan");
    assertThat(json(rejected).path("errors").get(0).path("keyword").asText()).isEqualTo("type");
    assertThat(accepted.statusCode()).isEqualTo(201);
    assertThat(missingTarget.statusCode()).isEqualTo(400);
    assertThat(json(missingTarget).path("errors").get(0).path("instancePath").asText())
        .isEqualTo("/targets");
  }

  @Test
  void concurrentPostsAreAllStored() throws Exception {
    int threads = 8;
    int each = 50;
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      ts[t] =
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  try {
                    http.post("/audit_logs/events", event(ORG, "a"));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }
              });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    assertThat(workos.events(ORG)).hasSize(threads * each);
  }
}
