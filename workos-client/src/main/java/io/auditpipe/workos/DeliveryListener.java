package io.auditpipe.workos;

import java.time.Duration;

/**
 * Observes deliveries, for metrics. Called on the client's threads, so implementations must be
 * fast, thread-safe and must not throw (exceptions are swallowed). Every method has a no-op
 * default, so an implementation overrides only what it counts.
 */
public interface DeliveryListener {

  /** A listener that ignores everything. */
  DeliveryListener NONE = new DeliveryListener() {};

  /** An HTTP request for an event is about to be sent; {@code attempt} starts at 1. */
  default void requestSent(int attempt) {}

  /** An answer (any status) arrived {@code latency} after its request was sent. */
  default void responseReceived(int status, Duration latency) {}

  /** An attempt failed retryably and the next one starts after {@code delay}. */
  default void retryScheduled(int nextAttempt, Duration delay, String cause) {}

  /**
   * WorkOS answered 429: this client's rate share has shrunk and sending pauses for {@code pause}.
   */
  default void throttled(Duration pause, double newRatePerSecond) {}

  /** The client-side rate limiter held a request back for {@code wait}. */
  default void rateLimitWait(Duration wait) {}

  /** An event's delivery ended, {@code elapsed} after {@code send} took it. */
  default void outcome(DeliveryOutcome outcome, Duration elapsed) {}
}
