package io.auditpipe.workos;

import java.time.Duration;

/**
 * {@link AuditLogClient#send} found every in-flight slot taken for longer than the configured
 * {@code capacityWait}, or was interrupted while waiting. The event was not sent; the caller should
 * apply back-pressure (e.g. pause its input) and try again.
 */
public final class CapacityExceededException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int maxInFlight;

  public CapacityExceededException(int maxInFlight, Duration waited, boolean interrupted) {
    super(
        (interrupted ? "interrupted while waiting" : "waited " + waited)
            + " for one of "
            + maxInFlight
            + " in-flight slots; none became free");
    this.maxInFlight = maxInFlight;
  }

  /** The configured number of in-flight slots. */
  public int maxInFlight() {
    return maxInFlight;
  }
}
