package io.auditpipe.workos.exchange;

import io.auditpipe.workos.DeliveryListener;
import io.auditpipe.workos.DeliveryOutcome;
import java.time.Duration;

/** Shields the engine from a listener that throws: metrics must never break delivery. */
final class SafeListener implements DeliveryListener {

  private final DeliveryListener delegate;

  private SafeListener(DeliveryListener delegate) {
    this.delegate = delegate;
  }

  static DeliveryListener of(DeliveryListener listener) {
    return listener instanceof SafeListener ? listener : new SafeListener(listener);
  }

  private static void quietly(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException ignored) {
      // metrics must never break delivery
    }
  }

  @Override
  public void requestSent(int attempt) {
    quietly(() -> delegate.requestSent(attempt));
  }

  @Override
  public void responseReceived(int status, Duration latency) {
    quietly(() -> delegate.responseReceived(status, latency));
  }

  @Override
  public void retryScheduled(int nextAttempt, Duration delay, String cause) {
    quietly(() -> delegate.retryScheduled(nextAttempt, delay, cause));
  }

  @Override
  public void throttled(Duration pause, double newRatePerSecond) {
    quietly(() -> delegate.throttled(pause, newRatePerSecond));
  }

  @Override
  public void rateLimitWait(Duration wait) {
    quietly(() -> delegate.rateLimitWait(wait));
  }

  @Override
  public void outcome(DeliveryOutcome outcome, Duration elapsed) {
    quietly(() -> delegate.outcome(outcome, elapsed));
  }
}
