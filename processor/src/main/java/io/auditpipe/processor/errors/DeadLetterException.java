package io.auditpipe.processor.errors;

import java.util.Locale;
import java.util.Objects;

/**
 * A domain record that cannot become audit events. Thrown by the mapping processor and turned into
 * a dead-letter record by {@link DeadLetterHandler}, inside the same Kafka Streams transaction as
 * the record's offset commit. Messages name the stage, rule and reason, never record values.
 */
public final class DeadLetterException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The pipeline stage that failed, as written to the {@code auditpipe.error.stage} header. */
  public enum Stage {
    /** The bytes are not JSON (or not a Connect JSON envelope). */
    CONVERT,
    /** No rule could be evaluated, or no rule selects the record and the policy is {@code dlq}. */
    MAP,
    /** The event a rule built breaks a WorkOS limit. */
    VALIDATE;

    /** The lower-case header value. */
    public String headerValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Stage stage;
  private final String rule;
  private final String reason;

  public DeadLetterException(Stage stage, String rule, String reason) {
    super(
        stage.headerValue() + (rule.isEmpty() ? "" : " [" + rule + "]") + ": " + reason,
        null,
        false,
        false);
    this.stage = Objects.requireNonNull(stage, "stage");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Stage stage() {
    return stage;
  }

  /** The rule's name, or {@code ""} when no rule applies. */
  public String rule() {
    return rule;
  }

  /** What was expected and what was found; never a record value. */
  public String reason() {
    return reason;
  }
}
