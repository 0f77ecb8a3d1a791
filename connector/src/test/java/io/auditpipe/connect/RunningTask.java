package io.auditpipe.connect;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;

/**
 * A {@link WorkOsSinkTask} started as a worker starts it: on a {@link RecordingSinkTaskContext},
 * with plugin metrics in a registry of its own. Closing stops the task and removes its metrics.
 */
public final class RunningTask implements AutoCloseable {

  private final Metrics registry;
  private final TaskPluginMetrics metrics;
  private final RecordingSinkTaskContext context;
  private final WorkOsSinkTask task;

  private RunningTask(Map<String, String> props, Set<TopicPartition> assignment) {
    registry = new Metrics();
    metrics = new TaskPluginMetrics(registry, "auditpipe-test", 0);
    context = new RecordingSinkTaskContext(props, assignment, metrics.pluginMetrics());
    task = new WorkOsSinkTask();
    task.initialize(context);
  }

  /** Starts a task with {@code props}, assigned {@code assignment}. */
  public static RunningTask start(Map<String, String> props, Set<TopicPartition> assignment) {
    RunningTask running = new RunningTask(props, assignment);
    running.task.start(props);
    return running;
  }

  public WorkOsSinkTask task() {
    return task;
  }

  public RecordingSinkTaskContext context() {
    return context;
  }

  /** The metrics the task registered, read back from the registry. */
  public TaskPluginMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    try {
      task.stop();
    } finally {
      metrics.close();
      registry.close();
    }
  }
}
