package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static io.auditpipe.emulator.Http.event;
import static io.auditpipe.emulator.Http.json;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every answer, Jetty's own included, is a WorkOS-shaped JSON error a client can act on. */
class ApiAnswersTest {

  @AutoClose static final WorkOsEmulator workos = WorkOsEmulator.builder().noRateLimit().start();

  @BeforeEach
  void resetEmulator() {
    workos.reset();
  }

  private Http http() {
    return new Http(workos.baseUrl(), workos.apiKey());
  }

  private static void assertJsonError(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(json(r).path("message").asText()).isNotBlank();
  }

  @Test
  void aBodyOverTheLimitIsAJson413() throws Exception {
    byte[] big = new byte[17 * 1024 * 1024];
    HttpResponse<String> r =
        http()
            .send(
                http()
                    .request("/audit_logs/events")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                    .build());

    assertJsonError(r, 413);
    assertThat(json(r).path("code").asText()).isEqualTo("request_too_large");
  }

  @Test
  void aChunkedBodyOverTheLimitIsAJson413() throws Exception {
    byte[] big = new byte[17 * 1024 * 1024];
    // No Content-Length: the limit is only found while reading.
    HttpResponse<String> r =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                http()
                    .request("/audit_logs/events")
                    .POST(
                        HttpRequest.BodyPublishers.ofInputStream(
                            () -> (InputStream) new ByteArrayInputStream(big)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertJsonError(r, 413);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a%2Fb",
        "a%5Cb",
        "a%25b",
        "a%0Ab",
        "a%0D%0Ab",
        "a%2F..%2Fb",
        "%2E%2E",
        "a%00b",
        "%00",
        "a%2500b"
      })
  void encodedSeparatorsAndControlsInASegmentAreAnUnknownOrganization(String segment)
      throws Exception {
    HttpResponse<String> r = http().get("/organizations/external_id/" + segment);

    assertJsonError(r, 404);
    assertThat(json(r).path("message").asText())
        .isEqualTo(
            "Organization not found with external ID: '" + PathDecoding.decode(segment) + "'.");
  }

  @Test
  void anEncodedNulIsPartOfTheExternalId() throws Exception {
    workos.addOrganization("org_nul", "Nul", Optional.of("a\u0000b"));

    HttpResponse<String> r = http().get("/organizations/external_id/a%00b");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("id").asText()).isEqualTo("org_nul");
  }

  @Test
  void anEncodedSlashIsPartOfTheExternalIdNotASeparator() throws Exception {
    workos.addOrganization("org_slash", "Slash", Optional.of("a/b"));

    HttpResponse<String> r = http().get("/organizations/external_id/a%2Fb");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("id").asText()).isEqualTo("org_slash");
    // A plus is a plus in a path, not a space.
    assertThat(http().get("/organizations/external_id/a+b").body()).contains("'a+b'");
  }

  @Test
  void jettysOwnRejectionsAreJson() throws Exception {
    for (String raw :
        List.of(
            "GET /organizations/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /organizations/x HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
            "GET /organizations/x HTTP/1.1\r\n\r\n")) {
      String answer = rawExchange(raw);
      assertThat(answer).as(raw).startsWith("HTTP/1.1 400");
      assertThat(answer.toLowerCase(Locale.ROOT))
          .as(raw)
          .contains("content-type: application/json");
      JsonNode body = Http.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
      assertThat(body.path("message").asText()).as(raw).isNotBlank();
    }
  }

  @Test
  void anotherMethodOnAnApiRouteIsJson405() throws Exception {
    HttpResponse<String> r =
        http()
            .send(
                http()
                    .request("/audit_logs/events")
                    .method("TRACE", HttpRequest.BodyPublishers.noBody())
                    .build());
    assertJsonError(r, 405);
  }

  @Test
  void postToRetentionIs405WithAllow() throws Exception {
    HttpResponse<String> r =
        http()
            .post(
                "/organizations/" + ORG + "/audit_logs_retention",
                "{\"retention_period_in_days\":30}");

    assertJsonError(r, 405);
    assertThat(r.headers().firstValue("Allow")).hasValue("GET, PUT");
    assertThat(workos.organizations()).isNotEmpty();
    HttpResponse<String> get = http().get("/organizations/" + ORG + "/audit_logs_retention");
    assertThat(json(get).path("retention_period_in_days").isNull()).isTrue();
  }

  @Test
  void wrongMethodsOnApiRoutesAre405() throws Exception {
    assertJsonError(http().get("/audit_logs/events"), 405);
    assertJsonError(http().put("/audit_logs/exports", "{}"), 405);
    assertJsonError(http().post("/organizations/" + ORG, "{}"), 405);
    assertJsonError(http().get("/no/such/route"), 404);
  }

  @Test
  void aDuplicateExternalIdIsRefused() throws Exception {
    HttpResponse<String> r =
        http().post("/_emulator/organizations", "{\"id\":\"org_2\",\"external_id\":\"acme\"}");

    assertJsonError(r, 409);
    assertThat(json(r).path("message").asText()).contains("acme");
    assertThat(http().get("/organizations/external_id/acme").body()).contains(ORG);
    assertThatThrownBy(() -> workos.addOrganization("org_3", "Three", Optional.of("acme")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acme");
    // Replacing an organization under its own external id stays allowed.
    workos.addOrganization(ORG, "Acme renamed", Optional.of("acme"));
  }

  @Test
  void emulatorEventsArePaged() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(http().post("/audit_logs/events", event(ORG, "a." + i)).statusCode())
          .isEqualTo(201);
    }
    List<String> actions = new ArrayList<>();
    String path = "/_emulator/events?limit=2";
    int pages = 0;
    while (path != null) {
      JsonNode page = json(http().get(path));
      assertThat(page.path("total").asInt()).isEqualTo(5);
      assertThat(page.path("data").size()).isLessThanOrEqualTo(2);
      page.path("data").forEach(e -> actions.add(e.path("event").path("action").asText()));
      JsonNode after = page.path("list_metadata").path("after");
      path = after.isNull() ? null : "/_emulator/events?limit=2&after=" + after.asText();
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(actions).containsExactly("a.0", "a.1", "a.2", "a.3", "a.4");

    JsonNode newest = json(http().get("/_emulator/events?order=desc&limit=1"));
    assertThat(newest.path("data").get(0).path("event").path("action").asText()).isEqualTo("a.4");
    assertJsonError(http().get("/_emulator/events?limit=100000"), 422);
  }

  @Test
  void nonSuccessAnswersAreListedForThePage() throws Exception {
    http().post("/audit_logs/events", event("org_unknown", "a"));

    JsonNode failures = json(http().get("/_emulator/failures"));

    JsonNode f = failures.path("data").get(0);
    assertThat(f.path("status").asInt()).isEqualTo(404);
    assertThat(f.path("message").asText()).contains("org_unknown");
    assertThat(f.path("request_id").asText()).startsWith("req_");
    assertThat(f.path("path").asText()).isEqualTo("/audit_logs/events");
  }

  private String rawExchange(String request) throws Exception {
    try (Socket s = new Socket(workos.baseUrl().getHost(), workos.baseUrl().getPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(US_ASCII));
      out.flush();
      s.shutdownOutput();
      return new String(s.getInputStream().readAllBytes(), UTF_8);
    }
  }

  /** The test's own decoding of the expected external id, independent of the emulator's. */
  private static final class PathDecoding {
    static String decode(String s) {
      return java.net.URLDecoder.decode(s, UTF_8);
    }
  }
}
