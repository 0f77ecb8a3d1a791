package io.auditpipe.connect.dlq;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Why a record goes to the dead-letter topic: the stage, the rule involved and, for delivery
 * failures, WorkOS's answer. Never holds record values or the API key.
 *
 * @param stage where the record failed
 * @param rule the rule's name, empty when no rule applies
 * @param reason what was expected and what was found
 * @param status WorkOS's HTTP status
 * @param code WorkOS's error code
 * @param requestId WorkOS's {@code X-Request-Id}
 */
public record DeadLetter(
    FailureStage stage,
    String rule,
    String reason,
    OptionalInt status,
    Optional<String> code,
    Optional<String> requestId) {

  public DeadLetter {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(requestId, "requestId");
  }

  /** A failure before delivery. */
  public static DeadLetter of(FailureStage stage, String rule, String reason) {
    return new DeadLetter(
        stage, rule, reason, OptionalInt.empty(), Optional.empty(), Optional.empty());
  }

  /** The text of the exception handed to Connect's reporter. */
  public String describe() {
    return stage.externalName()
        + (rule.isEmpty() ? "" : " (rule " + rule + ")")
        + (status.isPresent() ? " HTTP " + status.getAsInt() : "")
        + ": "
        + reason;
  }
}
