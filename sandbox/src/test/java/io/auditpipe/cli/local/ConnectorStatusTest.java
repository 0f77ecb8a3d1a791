package io.auditpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 15, defect 2: the progress line says when the connector task died, and why. */
class ConnectorStatusTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void aFailedTaskGivesTheInnermostCauseWithoutClassNames() throws Exception {
    String trace =
        "org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to"
            + " unrecoverable exception.\n\tat org.apache.kafka.connect.runtime.WorkerSinkTask"
            + ".deliverMessages(WorkerSinkTask.java:636)\nCaused by:"
            + " org.apache.kafka.connect.errors.ConnectException: workos.api.key: WorkOS refused"
            + " the API key (HTTP 401)\n\tat io.auditpipe.connect.WorkOsSinkTask.put(X.java:1)";
    ConnectorStatus status =
        ConnectorStatus.of(
            MAPPER.readTree(
                "{\"connector\": {\"state\": \"RUNNING\"}, \"tasks\": [{\"id\": 0, \"state\":"
                    + " \"FAILED\", \"trace\": "
                    + MAPPER.writeValueAsString(trace)
                    + "}]}"));

    assertThat(status)
        .isEqualTo(
            new ConnectorStatus(
                "FAILED", Optional.of("workos.api.key: WorkOS refused the API key (HTTP 401)")));
  }

  @Test
  void aRunningTaskHasNoFailure() throws Exception {
    ConnectorStatus status =
        ConnectorStatus.of(
            MAPPER.readTree(
                "{\"connector\": {\"state\": \"RUNNING\"}, \"tasks\": [{\"id\": 0,"
                    + " \"state\": \"RUNNING\"}]}"));

    assertThat(status).isEqualTo(new ConnectorStatus("RUNNING", Optional.empty()));
  }

  @Test
  void theProgressLineEndsWithTheTaskStateAndTheFailure() {
    Progress running = new Progress(10, 8, 1, 8, 1, 0, "RUNNING", Optional.empty());
    Progress failed =
        new Progress(10, 8, 1, 0, 1, 0, "FAILED", Optional.of("WorkOS refused the API key"));

    assertThat(running.line())
        .isEqualTo(
            "produced     10   mapped      8   skipped     1   delivered      8   dead-lettered"
                + "     1   throttled     0   task RUNNING");
    assertThat(running.failed()).isFalse();
    assertThat(failed.line()).endsWith("task FAILED: WorkOS refused the API key");
    assertThat(failed.failed()).isTrue();
  }
}
