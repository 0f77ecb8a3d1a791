package io.auditpipe.core.rules.eval;

import io.auditpipe.core.rules.UnmatchedPolicy;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The document-wide policies, all explicit in the rules document.
 *
 * @param unmatched what a record no rule selects does
 * @param match whether every matching rule makes events, or only the first
 * @param metadataTooLong what a metadata string over WorkOS's limit does
 * @param futureOccurredAt what an {@code occurred_at} later than now plus {@code futureTolerance}
 *     does (WorkOS is reported to drop such events silently)
 * @param futureTolerance how far in the future {@code occurred_at} may be
 * @param jsonata bounds of every JSONata evaluation
 */
public record Policies(
    UnmatchedPolicy unmatched,
    Match match,
    MetadataTooLong metadataTooLong,
    FutureOccurredAt futureOccurredAt,
    Duration futureTolerance,
    JsonataExpression.Bounds jsonata) {

  public static final Policies DEFAULT =
      new Policies(
          UnmatchedPolicy.SKIP,
          Match.ALL,
          MetadataTooLong.REJECT,
          FutureOccurredAt.REJECT,
          Duration.ofMinutes(5),
          JsonataExpression.Bounds.DEFAULT);

  public Policies {
    Objects.requireNonNull(unmatched, "unmatched");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(metadataTooLong, "metadataTooLong");
    Objects.requireNonNull(futureOccurredAt, "futureOccurredAt");
    Objects.requireNonNull(futureTolerance, "futureTolerance");
    Objects.requireNonNull(jsonata, "jsonata");
  }

  /** Which matching rules make events. */
  public enum Match {
    /** Every rule that selects the record makes its events, in document order. */
    ALL,
    /** Only the first rule, in document order, that selects the record. */
    FIRST;

    public String externalName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a metadata string longer than WorkOS allows does. */
  public enum MetadataTooLong {
    /** The record fails validation (the default). */
    REJECT,
    /** The string is cut to the limit. */
    TRUNCATE;

    public String externalName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What an {@code occurred_at} too far in the future does. */
  public enum FutureOccurredAt {
    /** The record fails to map (the default). */
    REJECT,
    /** {@code occurred_at} becomes now. */
    CLAMP;

    public String externalName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
