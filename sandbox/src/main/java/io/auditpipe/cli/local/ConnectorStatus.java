package io.auditpipe.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.cli.UserMessages;
import java.util.Optional;

/**
 * The state of the local connector as Connect's status endpoint tells it, in one word for the
 * progress line, and why it failed when it did.
 *
 * @param state {@code RUNNING}, {@code FAILED}, {@code PAUSED}, {@code UNASSIGNED}, … (the
 *     connector's, or its task's once it has one)
 * @param failure the failure's reason: the innermost cause of Connect's trace, without class names
 */
record ConnectorStatus(String state, Optional<String> failure) {

  static final ConnectorStatus UNKNOWN = new ConnectorStatus("STARTING", Optional.empty());

  boolean failed() {
    return state.equals("FAILED");
  }

  /** From the body of {@code GET /connectors/NAME/status}. */
  static ConnectorStatus of(JsonNode status) {
    JsonNode connector = status.path("connector");
    if (connector.path("state").asText().equals("FAILED")) {
      return new ConnectorStatus("FAILED", Optional.of(reason(connector.path("trace").asText(""))));
    }
    String state = connector.path("state").asText("STARTING");
    for (JsonNode task : status.path("tasks")) {
      String taskState = task.path("state").asText("");
      if (taskState.equals("FAILED")) {
        return new ConnectorStatus("FAILED", Optional.of(reason(task.path("trace").asText(""))));
      }
      state = taskState;
    }
    return new ConnectorStatus(state, Optional.empty());
  }

  /**
   * The line of a Java stack trace that says what went wrong: the last {@code Caused by:}, else the
   * first line, without class names — e.g. {@code workos.api.key: WorkOS refused the key (401)}.
   */
  static String reason(String trace) {
    String reason = trace.lines().findFirst().orElse("");
    for (String line : trace.lines().toList()) {
      if (line.startsWith("Caused by: ")) {
        reason = line.substring("Caused by: ".length());
      }
    }
    String cleaned = UserMessages.clean(reason);
    return cleaned.equals("unexpected error") ? "the task failed without a reason" : cleaned;
  }
}
