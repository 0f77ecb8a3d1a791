package io.auditpipe.workos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryOutcomeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static DeliveryOutcome.Rejected rejected(String message, List<JsonNode> errors) {
    return new DeliveryOutcome.Rejected(
        422, Optional.of("invalid_audit_log"), message, errors, Optional.empty(), 1);
  }

  @Test
  void aRejectionWithoutErrorsIsSummarizedByItsMessage() {
    assertThat(rejected("Invalid Audit Log event", List.of()).summary())
        .isEqualTo("Invalid Audit Log event");
  }

  @Test
  void aRejectionNamesEachErrorsFieldAndMessageOrItsPathAndCode() throws Exception {
    List<JsonNode> errors =
        List.of(
            JSON.readTree("{\"field\": \"targets[0].type\", \"message\": \"Required\"}"),
            JSON.readTree("{\"instancePath\": \"/metadata/plan\", \"code\": \"type\"}"),
            JSON.readTree("{\"code\": \"unknown\"}"));

    assertThat(rejected("Invalid Audit Log event", errors).summary())
        .isEqualTo(
            "Invalid Audit Log event (targets[0].type: Required; /metadata/plan: type; unknown)");
  }

  @Test
  void aRejectionNamesAtMostFiveErrors() throws Exception {
    List<JsonNode> errors = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      errors.add(JSON.readTree("{\"field\": \"f" + i + "\", \"message\": \"bad\"}"));
    }

    assertThat(rejected("Invalid", errors).summary())
        .isEqualTo("Invalid (f0: bad; f1: bad; f2: bad; f3: bad; f4: bad; …)");
  }
}
