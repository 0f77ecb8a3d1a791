package io.auditpipe.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;

/**
 * A task's plugin metrics as a Connect worker makes them: Kafka's own {@link PluginMetricsImpl}
 * over a {@link Metrics} registry, tagged with the connector and task, in group {@code plugins}.
 */
public final class TaskPluginMetrics implements AutoCloseable {

  private static final String GROUP = "plugins";

  private final Metrics registry;
  private final Map<String, String> tags;
  private final PluginMetricsImpl pluginMetrics;

  /** The plugin metrics of task {@code task} of {@code connector} in {@code registry}. */
  public TaskPluginMetrics(Metrics registry, String connector, int task) {
    this.registry = registry;
    this.tags = new LinkedHashMap<>();
    tags.put("connector", connector);
    tags.put("task", Integer.toString(task));
    this.pluginMetrics = new PluginMetricsImpl(registry, tags);
  }

  /** What the task gets from {@code SinkTaskContext.pluginMetrics()}. */
  public PluginMetricsImpl pluginMetrics() {
    return pluginMetrics;
  }

  /** Whether the registry holds the task's metric {@code name}. */
  public boolean has(String name) {
    return registry.metric(metricName(name)) != null;
  }

  /** The current value of the task's metric {@code name}; fails when it is not registered. */
  public double value(String name) {
    KafkaMetric metric = registry.metric(metricName(name));
    if (metric == null) {
      throw new AssertionError(
          "expected metric " + name + " " + tags + " in the registry, found none");
    }
    return ((Number) metric.metricValue()).doubleValue();
  }

  private MetricName metricName(String name) {
    return new MetricName(name, GROUP, "", tags);
  }

  /** Removes the task's metrics, as the worker does when the task stops. */
  @Override
  public void close() {
    try {
      pluginMetrics.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
