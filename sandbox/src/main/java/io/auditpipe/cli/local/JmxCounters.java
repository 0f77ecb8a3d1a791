package io.auditpipe.cli.local;

import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Sums a counter over the MBeans matching a pattern in this JVM's platform MBean server: how a
 * local run reads the metrics of the connector tasks and Kafka clients running beside it.
 */
final class JmxCounters {

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final ObjectName pattern;

  JmxCounters(String pattern) {
    try {
      this.pattern = new ObjectName(pattern);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("expected a JMX object name pattern, found " + pattern, e);
    }
  }

  /** The sum of attribute {@code name} over the matching MBeans that have it; 0 if none do. */
  long sum(String name) {
    long total = 0;
    Set<ObjectName> names = server.queryNames(pattern, null);
    for (ObjectName objectName : names) {
      try {
        Object value = server.getAttribute(objectName, name);
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
          total += n.longValue();
        }
      } catch (javax.management.JMException | RuntimeException e) {
        // This MBean has no such attribute, or went away as a task stopped: it counts nothing.
      }
    }
    return total;
  }
}
