package io.auditpipe.workos.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorBodyTest {

  @Test
  void workOsSchemaErrorKeepsCodeMessageAndEntries() {
    ErrorBody e =
        ErrorBody.parse(
            400,
            bytes(
                "{\"code\":\"invalid_audit_log\",\"message\":\"Invalid Audit Log event\","
                    + "\"errors\":[{\"instancePath\":\"/targets/0/type\",\"keyword\":\"const\"}]}"));
    assertThat(e.code()).contains("invalid_audit_log");
    assertThat(e.message()).isEqualTo("Invalid Audit Log event");
    assertThat(e.errors()).hasSize(1);
    assertThat(e.errors().get(0).path("instancePath").asText()).isEqualTo("/targets/0/type");
  }

  @Test
  void messageOnlyBody() {
    ErrorBody e = ErrorBody.parse(404, bytes("{\"message\":\"Organization not found: 'org_1'.\"}"));
    assertThat(e.code()).isEmpty();
    assertThat(e.message()).isEqualTo("Organization not found: 'org_1'.");
    assertThat(e.errors()).isEmpty();
  }

  @Test
  void nonJsonBodyKeepsAnExcerpt() {
    ErrorBody e = ErrorBody.parse(502, bytes("<html>" + "x".repeat(1000) + "</html>"));
    assertThat(e.message()).startsWith("HTTP 502 Bad Gateway: <html>").hasSizeLessThan(260);
  }

  @Test
  void emptyBodyDescribesTheStatus() {
    assertThat(ErrorBody.parse(401, new byte[0]).message()).isEqualTo("HTTP 401 Unauthorized");
    assertThat(ErrorBody.parse(418, null).message()).isEqualTo("HTTP 418");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
