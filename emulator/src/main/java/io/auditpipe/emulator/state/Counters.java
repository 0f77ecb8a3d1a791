package io.auditpipe.emulator.state;

import io.auditpipe.emulator.EmulatorCounters;
import io.auditpipe.emulator.faults.FaultKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;

/** The emulator's counters; increments never contend on a lock. */
public final class Counters {

  private final LongAdder[] byStatus = new LongAdder[600];
  private final LongAdder replays = new LongAdder();
  private final LongAdder conflicts = new LongAdder();
  private final LongAdder throttled = new LongAdder();
  private final LongAdder unauthorized = new LongAdder();
  private final Map<FaultKind, LongAdder> faults = new EnumMap<>(FaultKind.class);
  private final Map<String, LongAdder> byProtocol = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> connectionsByProtocol = new ConcurrentHashMap<>();

  /** Open connections that have carried an API exchange; closed ones are forgotten. */
  private final Set<Connection> seen = ConcurrentHashMap.newKeySet();

  public Counters() {
    for (int i = 0; i < byStatus.length; i++) {
      byStatus[i] = new LongAdder();
    }
    for (FaultKind k : FaultKind.values()) {
      faults.put(k, new LongAdder());
    }
  }

  public void status(int status) {
    if (status >= 0 && status < byStatus.length) {
      byStatus[status].increment();
    }
  }

  /**
   * An API exchange arrived on this connection: counted under {@code HTTP/1.1}, {@code h2c} or
   * {@code h2}; the connection is counted the first time it carries one.
   */
  public void exchange(ConnectionMetaData connection) {
    String protocol = protocol(connection);
    increment(byProtocol, protocol);
    if (seen.add(connection.getConnection())) {
      increment(connectionsByProtocol, protocol);
    }
  }

  /** Forgets a closed connection, so that the set of those seen stays small. */
  public void closed(Connection connection) {
    seen.remove(connection);
  }

  private static String protocol(ConnectionMetaData c) {
    if (c.getHttpVersion() == HttpVersion.HTTP_2) {
      return c.isSecure() ? "h2" : "h2c";
    }
    return c.getProtocol();
  }

  private static void increment(Map<String, LongAdder> counts, String key) {
    LongAdder n = counts.get(key);
    if (n == null) {
      n = counts.computeIfAbsent(key, p -> new LongAdder());
    }
    n.increment();
  }

  public void replay() {
    replays.increment();
  }

  public void conflict() {
    conflicts.increment();
  }

  public void throttled() {
    throttled.increment();
  }

  public void unauthorized() {
    unauthorized.increment();
  }

  public void fault(FaultKind kind) {
    faults.get(kind).increment();
  }

  public EmulatorCounters snapshot(long eventsStored) {
    Map<Integer, Long> statuses = new TreeMap<>();
    for (int i = 0; i < byStatus.length; i++) {
      long n = byStatus[i].sum();
      if (n > 0) {
        statuses.put(i, n);
      }
    }
    Map<String, Long> f = new TreeMap<>();
    faults.forEach((k, v) -> f.put(k.code(), v.sum()));
    Map<String, Long> protocols = new TreeMap<>();
    byProtocol.forEach((k, v) -> protocols.put(k, v.sum()));
    Map<String, Long> connections = new TreeMap<>();
    connectionsByProtocol.forEach((k, v) -> connections.put(k, v.sum()));
    return new EmulatorCounters(
        statuses,
        replays.sum(),
        conflicts.sum(),
        throttled.sum(),
        unauthorized.sum(),
        f,
        eventsStored,
        protocols,
        connections);
  }

  public void reset() {
    for (LongAdder a : byStatus) {
      a.reset();
    }
    replays.reset();
    conflicts.reset();
    throttled.reset();
    unauthorized.reset();
    faults.values().forEach(LongAdder::reset);
    byProtocol.values().forEach(LongAdder::reset);
    connectionsByProtocol.values().forEach(LongAdder::reset);
    seen.clear();
  }
}
