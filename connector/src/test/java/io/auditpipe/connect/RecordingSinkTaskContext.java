package io.auditpipe.connect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Connect's side of a sink task, as a worker would play it for a task driven directly by a test: a
 * fixed assignment, the pause and resume calls the task makes (in order), the records it
 * dead-letters, and the plugin metrics it is given. Used on the task thread only, like Connect's.
 */
public final class RecordingSinkTaskContext implements SinkTaskContext {

  /** One {@code pause} or {@code resume} call. */
  public record PauseCall(boolean pause, Set<TopicPartition> partitions) {}

  /** One record handed to the errant record reporter. */
  public record Reported(SinkRecord record, Throwable error) {}

  private final Map<String, String> configs;
  private final Set<TopicPartition> assignment;
  private final PluginMetrics pluginMetrics;
  private final Set<TopicPartition> paused = new HashSet<>();
  private final List<PauseCall> pauseCalls = new ArrayList<>();
  private final List<Reported> reported = new ArrayList<>();
  private long timeoutMs = -1;

  public RecordingSinkTaskContext(
      Map<String, String> configs, Set<TopicPartition> assignment, PluginMetrics pluginMetrics) {
    this.configs = Map.copyOf(configs);
    this.assignment = Set.copyOf(assignment);
    this.pluginMetrics = pluginMetrics;
  }

  @Override
  public Map<String, String> configs() {
    return configs;
  }

  @Override
  public void offset(Map<TopicPartition, Long> offsets) {
    throw new UnsupportedOperationException("the task under test never rewinds");
  }

  @Override
  public void offset(TopicPartition tp, long offset) {
    throw new UnsupportedOperationException("the task under test never rewinds");
  }

  @Override
  public void timeout(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Set<TopicPartition> assignment() {
    return assignment;
  }

  @Override
  public void pause(TopicPartition... partitions) {
    Set<TopicPartition> these = Set.copyOf(Arrays.asList(partitions));
    pauseCalls.add(new PauseCall(true, these));
    paused.addAll(these);
  }

  @Override
  public void resume(TopicPartition... partitions) {
    Set<TopicPartition> these = Set.copyOf(Arrays.asList(partitions));
    pauseCalls.add(new PauseCall(false, these));
    paused.removeAll(these);
  }

  @Override
  public void requestCommit() {}

  @Override
  public ErrantRecordReporter errantRecordReporter() {
    return this::report;
  }

  @Override
  public PluginMetrics pluginMetrics() {
    return pluginMetrics;
  }

  private Future<Void> report(SinkRecord record, Throwable error) {
    reported.add(new Reported(record, error));
    return CompletableFuture.completedFuture(null);
  }

  /** Whether the consumer would return records of {@code tp} now. */
  public boolean isPaused(TopicPartition tp) {
    return paused.contains(tp);
  }

  /** Every pause and resume call so far, in order. */
  public List<PauseCall> pauseCalls() {
    return List.copyOf(pauseCalls);
  }

  /** The records dead-lettered so far, in order. */
  public List<Reported> reported() {
    return List.copyOf(reported);
  }

  /** The last poll timeout the task asked for, or -1. */
  public long timeoutMs() {
    return timeoutMs;
  }
}
