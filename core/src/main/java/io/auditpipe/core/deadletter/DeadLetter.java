package io.auditpipe.core.deadletter;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Why a record goes to the dead-letter topic: the stage, the rule involved and, when WorkOS
 * answered, its answer. Never holds record values or the API key.
 *
 * <p>One rule at most: the rule of the first failure. Rule names are free text (commas included),
 * so a list in one header could not be read back; when several rules fail, the reason lists every
 * failure with its rule's location.
 *
 * @param stage where the record failed
 * @param rule the rule's name, {@code ""} when no rule applies (unmatched, unreadable records)
 * @param reason what was expected and what was found, never a record value; the headers carry at
 *     most {@link DeadLetterCodec#MAX_REASON_LENGTH} characters of it
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

  /** A failure without an answer from WorkOS. */
  public static DeadLetter of(FailureStage stage, String rule, String reason) {
    return new DeadLetter(
        stage, rule, reason, OptionalInt.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * One line for logs and exception messages: {@code map (rule order-paid): …}, {@code deliver
   * (rule order-paid) HTTP 400: …}.
   */
  public String describe() {
    return stage.externalName()
        + (rule.isEmpty() ? "" : " (rule " + rule + ")")
        + (status.isPresent() ? " HTTP " + status.getAsInt() : "")
        + ": "
        + reason;
  }
}
