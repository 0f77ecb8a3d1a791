package io.auditpipe.processor.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Per-rule counters, registered as Kafka Streams custom metrics so they reach JMX (and any
 * configured {@code metric.reporters}) next to Streams' own: group {@value #GROUP}, tags {@code
 * thread-id} and {@code auditpipe-rule-id}, metrics {@code mapped-total/-rate} (events written),
 * {@code skipped-total/-rate} and {@code dead-lettered-total/-rate} (records).
 *
 * <p>One instance per processor (i.e. per task); sensors are shared by the tasks of a thread. Not
 * thread-safe, like the processor that owns it.
 */
public final class RuleMetrics {

  /** The metric scope; Streams names the group {@code stream-<scope>-metrics}. */
  public static final String SCOPE = "auditpipe-rule";

  /** The JMX type / metrics group of the per-rule metrics. */
  public static final String GROUP = "stream-" + SCOPE + "-metrics";

  /** The entity a record no rule selected is counted under. */
  public static final String UNMATCHED = "(unmatched)";

  /** The entity a record that failed before any rule ran is counted under. */
  public static final String NO_RULE = "(none)";

  private final StreamsMetrics metrics;
  private final Map<String, Sensor> mapped = new HashMap<>();
  private final Map<String, Sensor> skipped = new HashMap<>();
  private final Map<String, Sensor> deadLettered = new HashMap<>();

  public RuleMetrics(StreamsMetrics metrics) {
    this.metrics = metrics;
  }

  /** One event of {@code rule} written to the output topic. */
  public void mapped(String rule) {
    sensor(mapped, rule, "mapped").record();
  }

  /** One record skipped (no rule selected it, or a tombstone), under {@code entity}. */
  public void skipped(String entity) {
    sensor(skipped, entity, "skipped").record();
  }

  /** One record dead-lettered because of {@code rule} ({@code ""} when no rule applies). */
  public void deadLettered(String rule) {
    sensor(deadLettered, rule.isEmpty() ? NO_RULE : rule, "dead-lettered").record();
  }

  private Sensor sensor(Map<String, Sensor> sensors, String entity, String operation) {
    Sensor sensor = sensors.get(entity);
    if (sensor == null) {
      sensor = metrics.addRateTotalSensor(SCOPE, entity, operation, Sensor.RecordingLevel.INFO);
      sensors.put(entity, sensor);
    }
    return sensor;
  }
}
