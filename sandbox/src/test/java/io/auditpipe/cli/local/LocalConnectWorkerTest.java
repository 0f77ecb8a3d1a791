package io.auditpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalConnectWorkerTest {

  @Test
  void aValidationRefusalIsSaidByItsErrorsNotItsHeading() {
    String connect =
        "Connector configuration is invalid and contains the following 2 error(s):\n"
            + "workos.api.key: WorkOS refused the key (HTTP 401)\n"
            + "auditpipe.rules: rules[0] \"a\": expected an action\n"
            + "You can also find the above list of errors at the endpoint"
            + " `/connector-plugins/{connectorType}/config/validate`";

    assertThat(LocalConnectWorker.refusal(connect))
        .isEqualTo(
            "workos.api.key: WorkOS refused the key (HTTP 401); auditpipe.rules: rules[0] \"a\":"
                + " expected an action");
  }

  @Test
  void anyOtherRefusalIsItsFirstLine() {
    assertThat(LocalConnectWorker.refusal("Request timed out\nmore"))
        .isEqualTo("Request timed out");
  }
}
