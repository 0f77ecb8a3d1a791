package io.auditpipe.emulator;

import java.util.Map;

/**
 * A snapshot of the emulator's counters.
 *
 * @param requestsByStatus answered API requests by HTTP status (faults included)
 * @param idempotentReplays requests answered with a stored response
 * @param idempotencyConflicts requests whose key was reused with a different body
 * @param throttled requests refused by the rate limit (not by an injected 429)
 * @param unauthorized requests refused for a missing or unknown API key
 * @param faults injected faults by kind ({@code status_500}, {@code reset_after}, …)
 * @param eventsStored events currently stored, all organizations together
 * @param requestsByProtocol API requests by protocol ({@code HTTP/1.1}, {@code HTTP/2.0})
 */
public record EmulatorCounters(
    Map<Integer, Long> requestsByStatus,
    long idempotentReplays,
    long idempotencyConflicts,
    long throttled,
    long unauthorized,
    Map<String, Long> faults,
    long eventsStored,
    Map<String, Long> requestsByProtocol) {

  public EmulatorCounters {
    requestsByStatus = Map.copyOf(requestsByStatus);
    faults = Map.copyOf(faults);
    requestsByProtocol = Map.copyOf(requestsByProtocol);
  }

  /** Requests answered with this status. */
  public long requests(int status) {
    return requestsByStatus.getOrDefault(status, 0L);
  }

  /** API requests received over this protocol, as Jetty names it ({@code HTTP/2.0}). */
  public long requests(String protocol) {
    return requestsByProtocol.getOrDefault(protocol, 0L);
  }

  /** Faults of this kind injected so far. */
  public long faults(String kind) {
    return faults.getOrDefault(kind, 0L);
  }
}
