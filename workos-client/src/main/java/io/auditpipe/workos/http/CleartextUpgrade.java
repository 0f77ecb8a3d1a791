package io.auditpipe.workos.http;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Which HTTP version requests to a cleartext ({@code http://}) server ask for, when HTTP/2 is
 * wanted.
 *
 * <p>Over cleartext the JDK client reaches HTTP/2 only by an {@code Upgrade: h2c} on an HTTP/1.1
 * request, and servers (Jetty among them) decline that upgrade on a request with a body. Delivery
 * only posts, so left alone it would never upgrade — and with many first requests in flight each
 * would open its own connection to offer it. So one bodiless probe upgrades a connection; until it
 * answers, requests ask for HTTP/1.1. An HTTP/2 answer to the probe switches requests to HTTP/2
 * (multiplexed over that connection); an HTTP/1.1 answer means the server offers no h2c, and
 * requests stay on HTTP/1.1. If the upgraded connection is lost, the next request that asked for
 * HTTP/2 is answered over HTTP/1.1, which starts another probe.
 */
final class CleartextUpgrade {

  /** How long to wait after a probe that failed (server down) before the next one. */
  private static final long RETRY_NANOS = Duration.ofSeconds(1).toNanos();

  private enum State {
    UNKNOWN,
    PROBING,
    HTTP_2,
    HTTP_1_1
  }

  private final Supplier<CompletableFuture<HttpResponse<Void>>> probe;
  private final AtomicReference<State> state = new AtomicReference<>(State.UNKNOWN);
  private volatile long nextProbeNanos = System.nanoTime();

  /** {@code probe} sends a bodiless request asking for HTTP/2. */
  CleartextUpgrade(Supplier<CompletableFuture<HttpResponse<Void>>> probe) {
    this.probe = probe;
  }

  /** The version the next request asks for; starts a probe when none has settled it. */
  HttpClient.Version version() {
    State s = state.get();
    if (s == State.HTTP_2) {
      return HttpClient.Version.HTTP_2;
    }
    if (s == State.UNKNOWN
        && System.nanoTime() - nextProbeNanos >= 0
        && state.compareAndSet(State.UNKNOWN, State.PROBING)) {
      startProbe();
    }
    return HttpClient.Version.HTTP_1_1;
  }

  /** Notes the answer to a request that asked for {@code requested}. */
  void answered(HttpClient.Version requested, HttpClient.Version answered) {
    if (requested == HttpClient.Version.HTTP_2 && answered == HttpClient.Version.HTTP_1_1) {
      // The upgraded connection is gone and the JDK fell back to HTTP/1.1 (an upgrade offered on
      // a POST is declined): upgrade a connection again.
      state.compareAndSet(State.HTTP_2, State.UNKNOWN);
    }
  }

  private void startProbe() {
    CompletableFuture<HttpResponse<Void>> f;
    try {
      f = probe.get();
    } catch (RuntimeException e) {
      probeFailed();
      return;
    }
    f.whenComplete(
        (response, error) -> {
          if (error != null) {
            probeFailed();
          } else {
            state.set(
                response.version() == HttpClient.Version.HTTP_2 ? State.HTTP_2 : State.HTTP_1_1);
          }
        });
  }

  private void probeFailed() {
    nextProbeNanos = System.nanoTime() + RETRY_NANOS;
    state.set(State.UNKNOWN);
  }
}
