package io.auditpipe.workos;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.workos.http.ErrorBody;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FinalAnswersTest {

  private static ErrorBody body(int status, String json) {
    return ErrorBody.parse(status, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void keyAndRouteFaultsAreTheConfigurations() {
    assertThat(FinalAnswers.isConfigurationFault(401, body(401, "{\"message\":\"Unauthorized\"}")))
        .isTrue();
    assertThat(FinalAnswers.isConfigurationFault(403, body(403, "{}"))).isTrue();
    assertThat(FinalAnswers.isConfigurationFault(404, body(404, "{\"message\":\"Not Found\"}")))
        .isTrue();
    assertThat(FinalAnswers.isConfigurationFault(404, body(404, "<html>nginx</html>"))).isTrue();
  }

  @Test
  void unknownOrganizationsAndBadEventsAreTheRequests() {
    assertThat(
            FinalAnswers.isConfigurationFault(
                404, body(404, "{\"message\":\"Organization not found: 'org_1'.\"}")))
        .isFalse();
    assertThat(
            FinalAnswers.isConfigurationFault(
                404,
                body(404, "{\"message\":\"Organization not found with external ID: 'acme'.\"}")))
        .isFalse();
    assertThat(FinalAnswers.isConfigurationFault(400, body(400, "{}"))).isFalse();
    assertThat(FinalAnswers.isConfigurationFault(422, body(422, "{}"))).isFalse();
    assertThat(
            FinalAnswers.outcome(
                404,
                body(404, "{\"message\":\"Organization not found: 'org_1'.\"}"),
                Optional.of("req"),
                1))
        .isInstanceOf(DeliveryOutcome.Rejected.class);
    assertThat(FinalAnswers.outcome(403, body(403, "{}"), Optional.empty(), 2))
        .isEqualTo(
            new DeliveryOutcome.Misconfigured(403, "HTTP 403 Forbidden", Optional.empty(), 2));
  }
}
