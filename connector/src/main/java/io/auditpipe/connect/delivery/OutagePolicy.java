package io.auditpipe.connect.delivery;

import io.auditpipe.connect.config.OutageBehavior;
import java.time.Duration;
import java.util.Objects;

/**
 * How the pipeline treats transient failures.
 *
 * @param behavior what happens once WorkOS has been unavailable for {@code maxDuration}
 * @param maxDuration the outage bound of {@code fail} and {@code dlq}
 * @param poisonTimeout how long one event may keep failing transiently while WorkOS is available
 *     before its record is dead-lettered
 */
public record OutagePolicy(OutageBehavior behavior, Duration maxDuration, Duration poisonTimeout) {

  /** Wait for WorkOS however long it takes; dead-letter poison events after 6 hours. */
  public static final OutagePolicy WAIT =
      new OutagePolicy(OutageBehavior.WAIT, Duration.ofHours(1), Duration.ofHours(6));

  public OutagePolicy {
    Objects.requireNonNull(behavior, "behavior");
    Objects.requireNonNull(maxDuration, "maxDuration");
    Objects.requireNonNull(poisonTimeout, "poisonTimeout");
  }

  /** Whether an outage of {@code length} has passed the bound of {@code fail} or {@code dlq}. */
  boolean boundPassed(Duration length) {
    return behavior != OutageBehavior.WAIT
        && !length.isZero()
        && length.compareTo(maxDuration) >= 0;
  }
}
