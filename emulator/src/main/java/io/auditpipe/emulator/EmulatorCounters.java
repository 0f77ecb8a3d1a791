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
 * @param requestsByProtocol API exchanges by protocol: {@code HTTP/1.1} (cleartext or TLS), {@code
 *     h2c} (HTTP/2 cleartext) or {@code h2} (HTTP/2 over TLS)
 * @param connectionsByProtocol connections that carried at least one API exchange, by the same
 *     protocols (a connection upgraded from HTTP/1.1 to h2c counts where its first API exchange
 *     ran)
 */
public record EmulatorCounters(
    Map<Integer, Long> requestsByStatus,
    long idempotentReplays,
    long idempotencyConflicts,
    long throttled,
    long unauthorized,
    Map<String, Long> faults,
    long eventsStored,
    Map<String, Long> requestsByProtocol,
    Map<String, Long> connectionsByProtocol) {

  public EmulatorCounters {
    requestsByStatus = Map.copyOf(requestsByStatus);
    faults = Map.copyOf(faults);
    requestsByProtocol = Map.copyOf(requestsByProtocol);
    connectionsByProtocol = Map.copyOf(connectionsByProtocol);
  }

  /** Requests answered with this status. */
  public long requests(int status) {
    return requestsByStatus.getOrDefault(status, 0L);
  }

  /**
   * API exchanges over this protocol: {@code HTTP/1.1}, {@code h2c} or {@code h2}; {@code HTTP/2.0}
   * counts both HTTP/2 kinds.
   */
  public long requests(String protocol) {
    return byProtocol(requestsByProtocol, protocol);
  }

  /**
   * Connections that carried API exchanges over this protocol (names as for {@link
   * #requests(String)}).
   */
  public long connections(String protocol) {
    return byProtocol(connectionsByProtocol, protocol);
  }

  /** Connections that carried API exchanges, every protocol together. */
  public long connections() {
    return connectionsByProtocol.values().stream().mapToLong(Long::longValue).sum();
  }

  private static long byProtocol(Map<String, Long> counts, String protocol) {
    if (protocol.equals("HTTP/2.0")) {
      return counts.getOrDefault("h2c", 0L) + counts.getOrDefault("h2", 0L);
    }
    return counts.getOrDefault(protocol, 0L);
  }

  /** Faults of this kind injected so far. */
  public long faults(String kind) {
    return faults.getOrDefault(kind, 0L);
  }
}
