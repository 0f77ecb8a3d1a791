package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static io.auditpipe.emulator.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WorkOS's documented limits, at their boundaries, from the emulator's own table: one short of a
 * limit is stored, one past it is a 422 naming the field.
 */
class DocumentedLimitsTest {

  @AutoClose static final WorkOsEmulator workos = WorkOsEmulator.builder().noRateLimit().start();

  @BeforeEach
  void resetEmulator() {
    workos.reset();
  }

  private HttpResponse<String> post(ObjectNode body) throws IOException {
    return new Http(workos.baseUrl(), workos.apiKey()).post("/audit_logs/events", body.toString());
  }

  private static ObjectNode body() throws IOException {
    return (ObjectNode) Http.MAPPER.readTree(Http.event(ORG, "user.signed_in"));
  }

  private static ObjectNode metadata(ObjectNode body, String where) {
    ObjectNode event = (ObjectNode) body.get("event");
    return switch (where) {
      case "event.metadata" -> event.putObject("metadata");
      case "event.actor.metadata" -> ((ObjectNode) event.get("actor")).putObject("metadata");
      default -> ((ObjectNode) event.get("targets").get(0)).putObject("metadata");
    };
  }

  private static List<String> fields(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    JsonNode n = json(r);
    assertThat(n.path("message").asText()).isEqualTo("Validation failed.");
    return n.path("errors").findValuesAsText("field");
  }

  @Test
  void fiftyKeysAreStoredFiftyOneAreNot() throws Exception {
    for (String where :
        List.of("event.metadata", "event.actor.metadata", "event.targets[0].metadata")) {
      ObjectNode ok = body();
      ObjectNode tooMany = body();
      ObjectNode fifty = metadata(ok, where);
      ObjectNode fiftyOne = metadata(tooMany, where);
      for (int i = 0; i < 50; i++) {
        fifty.put("k" + i, "v");
        fiftyOne.put("k" + i, "v");
      }
      fiftyOne.put("k50", "v");

      assertThat(post(ok).statusCode()).as(where).isEqualTo(201);
      assertThat(fields(post(tooMany))).as(where).containsExactly(where);
    }
  }

  @Test
  void keysOfFortyCharactersAreStoredLongerOrOtherCharactersAreNot() throws Exception {
    ObjectNode ok = body();
    metadata(ok, "event.metadata").put("a".repeat(40), "v").put("with-dash_and_9", "v");
    ObjectNode bad = body();
    metadata(bad, "event.metadata").put("a".repeat(41), "v").put("dot.ted", "v");

    assertThat(post(ok).statusCode()).isEqualTo(201);
    assertThat(fields(post(bad)))
        .containsExactlyInAnyOrder("event.metadata." + "a".repeat(41), "event.metadata.dot.ted");
  }

  @Test
  void stringsOfFiveHundredCharactersAreStoredLongerAreNot() throws Exception {
    ObjectNode ok = body();
    metadata(ok, "event.actor.metadata").put("s", "x".repeat(500)).put("n", 1.5).put("b", true);
    ObjectNode bad = body();
    metadata(bad, "event.actor.metadata").put("s", "x".repeat(501));

    assertThat(post(ok).statusCode()).isEqualTo(201);
    assertThat(fields(post(bad))).containsExactly("event.actor.metadata.s");
  }

  @Test
  void emptyRequiredStringsAreRefused() throws Exception {
    ObjectNode bad = body();
    ((ObjectNode) bad.get("event").get("actor")).put("id", "");
    ((ObjectNode) bad.get("event").get("context")).put("location", " ");

    assertThat(fields(post(bad)))
        .containsExactlyInAnyOrder("event.actor.id", "event.context.location");
  }

  @Test
  void theEmulatorDoesNotUseTheClientsValidatorOrLimits() throws IOException {
    // A test double sharing the client's assumptions cannot catch them being wrong (issue 14 §5).
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      List<Path> offending =
          sources
              .filter(p -> p.toString().endsWith(".java"))
              .filter(
                  p -> {
                    try {
                      String s = Files.readString(p);
                      return s.contains("AuditEventValidator")
                          || s.contains("core.model.WorkOsLimits");
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
      assertThat(offending).isEmpty();
    }
  }
}
