package io.auditpipe.core.rules;

import io.auditpipe.core.deadletter.FailureStage;
import java.util.Objects;

/**
 * Why a record could not become a valid event.
 *
 * @param stage {@link FailureStage#MAP} when a rule could not be evaluated, {@link
 *     FailureStage#VALIDATE} when the event it built breaks a WorkOS limit
 * @param rule the rule's name ({@code ""} when no rule applies, e.g. an unmatched record sent to
 *     the DLQ)
 * @param location where in the rule, e.g. {@code rules[2] "order-paid" actor.id}
 * @param reason what was expected and what was found; never a record value
 */
public record MappingFailure(FailureStage stage, String rule, String location, String reason) {

  public MappingFailure {
    Objects.requireNonNull(stage, "stage");
    if (stage != FailureStage.MAP && stage != FailureStage.VALIDATE) {
      throw new IllegalArgumentException("expected stage MAP or VALIDATE, found " + stage);
    }
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return location + ": " + reason;
  }
}
