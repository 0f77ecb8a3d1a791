package io.auditpipe.cli.local;

/**
 * The auditpipe connector tasks' counters, as the worker publishes them over JMX (plugin metrics,
 * domain {@code kafka.connect}), summed over tasks.
 */
final class ConnectorCounters {

  private final JmxCounters jmx = new JmxCounters("kafka.connect:*");

  long mapped() {
    return jmx.sum("records-mapped-total");
  }

  long skipped() {
    return jmx.sum("records-skipped-total");
  }

  long delivered() {
    return jmx.sum("events-delivered-total");
  }

  long throttled() {
    return jmx.sum("requests-throttled-total");
  }
}
