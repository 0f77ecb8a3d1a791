package io.auditpipe.connect.metrics;

import io.auditpipe.workos.DeliveryListener;
import io.auditpipe.workos.DeliveryOutcome;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;

/**
 * The task's metrics, registered through Connect's plugin-metrics API ({@code
 * SinkTaskContext.pluginMetrics()}, KIP-877), so they appear under the worker's JMX domain tagged
 * with the connector and task. Also counts internally, so tests and logs can read the totals.
 * Thread-safe.
 */
public final class SinkTaskMetrics implements DeliveryListener {

  /**
   * Makes each instance's sensor names unique in the worker's registry. {@code
   * PluginMetrics.addSensor(name)} returns the registry-wide sensor of that name, so two tasks of
   * one worker using the same names would record into each other's metrics, and the first to stop
   * would remove the other's.
   */
  private static final AtomicLong INSTANCES = new AtomicLong();

  private final AtomicLong mapped = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();

  private final Sensor mappedSensor;
  private final Sensor skippedSensor;
  private final Sensor deliveredSensor;
  private final Sensor rejectedSensor;
  private final Sensor retriedSensor;
  private final Sensor throttledSensor;
  private final Sensor deadLetteredSensor;
  private final Sensor latencySensor;

  private SinkTaskMetrics(PluginMetrics metrics, Supplier<Gauges> gauges) {
    if (metrics == null) {
      mappedSensor = null;
      skippedSensor = null;
      deliveredSensor = null;
      rejectedSensor = null;
      retriedSensor = null;
      throttledSensor = null;
      deadLetteredSensor = null;
      latencySensor = null;
      return;
    }
    String sensorPrefix = "auditpipe-sink-task-" + INSTANCES.incrementAndGet() + ".";
    mappedSensor =
        counter(metrics, sensorPrefix, "records-mapped", "records mapped into one or more events");
    skippedSensor =
        counter(metrics, sensorPrefix, "records-skipped", "records no rule selects, or tombstones");
    deliveredSensor = counter(metrics, sensorPrefix, "events-delivered", "events WorkOS accepted");
    rejectedSensor =
        counter(metrics, sensorPrefix, "events-rejected", "events WorkOS refused with a 4xx");
    retriedSensor = counter(metrics, sensorPrefix, "requests-retried", "requests retried");
    throttledSensor =
        counter(metrics, sensorPrefix, "requests-throttled", "429 answers from WorkOS");
    deadLetteredSensor =
        counter(metrics, sensorPrefix, "records-dead-lettered", "records sent to the DLQ");
    latencySensor = metrics.addSensor(sensorPrefix + "request-latency");
    latencySensor.add(
        metrics.metricName(
            "request-latency-avg", "average WorkOS request latency in ms", new LinkedHashMap<>()),
        new Avg());
    latencySensor.add(
        metrics.metricName(
            "request-latency-max", "maximum WorkOS request latency in ms", new LinkedHashMap<>()),
        new Max());
    metrics.addMetric(
        metrics.metricName("in-flight", "events being delivered", new LinkedHashMap<>()),
        (Gauge<Integer>) (config, now) -> gauges.get().inFlight());
    metrics.addMetric(
        metrics.metricName(
            "buffer-records", "records taken and not yet resolved", new LinkedHashMap<>()),
        (Gauge<Integer>) (config, now) -> gauges.get().bufferedRecords());
    metrics.addMetric(
        metrics.metricName(
            "buffer-fill-ratio",
            "the fuller of the record and byte buffer bounds; the task pauses at 1",
            new LinkedHashMap<>()),
        (Gauge<Double>) (config, now) -> gauges.get().fillRatio());
    metrics.addMetric(
        metrics.metricName(
            "workos-available",
            "1 while WorkOS answers, 0 while the task waits out an outage",
            new LinkedHashMap<>()),
        (Gauge<Integer>) (config, now) -> gauges.get().workOsAvailable() ? 1 : 0);
    metrics.addMetric(
        metrics.metricName(
            "oldest-undelivered-record-age-ms",
            "how long the oldest record being delivered has waited, in ms",
            new LinkedHashMap<>()),
        (Gauge<Long>) (config, now) -> gauges.get().oldestUndeliveredRecordAgeMs());
    metrics.addMetric(
        metrics.metricName(
            "workos-outages-total", "outages of WorkOS the task waited out", new LinkedHashMap<>()),
        (Gauge<Long>) (config, now) -> gauges.get().outages());
    metrics.addMetric(
        metrics.metricName(
            "workos-unavailable-time-ms-total",
            "time WorkOS was unavailable in all, the current outage included, in ms",
            new LinkedHashMap<>()),
        (Gauge<Long>) (config, now) -> gauges.get().unavailableMs());
  }

  /** What the gauges read from the running task. */
  public interface Gauges {
    int inFlight();

    int bufferedRecords();

    double fillRatio();

    /** Whether WorkOS is available (the delivery circuit breaker is closed). */
    default boolean workOsAvailable() {
      return true;
    }

    /** How long the oldest record handed to delivery has waited, in ms. */
    default long oldestUndeliveredRecordAgeMs() {
      return 0;
    }

    /** Outages begun. */
    default long outages() {
      return 0;
    }

    /** Time WorkOS was unavailable in all, in ms. */
    default long unavailableMs() {
      return 0;
    }
  }

  /**
   * Metrics registered with {@code metrics}; with {@code null} (a worker without plugin metrics)
   * only the internal counters.
   */
  public static SinkTaskMetrics register(PluginMetrics metrics, Supplier<Gauges> gauges) {
    return new SinkTaskMetrics(metrics, gauges);
  }

  private static Sensor counter(
      PluginMetrics metrics, String sensorPrefix, String name, String description) {
    Sensor sensor = metrics.addSensor(sensorPrefix + name);
    MetricName total =
        metrics.metricName(name + "-total", "total " + description, new LinkedHashMap<>());
    MetricName rate =
        metrics.metricName(name + "-rate", description + " per second", new LinkedHashMap<>());
    sensor.add(total, new CumulativeSum());
    sensor.add(rate, new Rate());
    return sensor;
  }

  private static void record(Sensor sensor, AtomicLong counter, long n) {
    counter.addAndGet(n);
    if (sensor != null) {
      sensor.record(n);
    }
  }

  /** Counts {@code records} mapped into events (one call per batch). */
  public void recordMapped(int records) {
    if (records > 0) {
      record(mappedSensor, mapped, records);
    }
  }

  /** Counts {@code records} skipped (one call per batch). */
  public void recordSkipped(int records) {
    if (records > 0) {
      record(skippedSensor, skipped, records);
    }
  }

  public void recordDeadLettered() {
    record(deadLetteredSensor, deadLettered, 1);
  }

  @Override
  public void retryScheduled(int nextAttempt, Duration delay, String cause) {
    record(retriedSensor, retried, 1);
  }

  @Override
  public void throttled(Duration pause, double newRatePerSecond) {
    record(throttledSensor, throttled, 1);
  }

  @Override
  public void responseReceived(int status, Duration latency) {
    if (latencySensor != null) {
      latencySensor.record(latency.toNanos() / 1e6);
    }
  }

  @Override
  public void outcome(DeliveryOutcome outcome, Duration elapsed) {
    if (outcome instanceof DeliveryOutcome.Delivered) {
      record(deliveredSensor, delivered, 1);
    } else if (outcome instanceof DeliveryOutcome.Rejected) {
      record(rejectedSensor, rejected, 1);
    }
  }

  public long mapped() {
    return mapped.get();
  }

  public long skipped() {
    return skipped.get();
  }

  public long delivered() {
    return delivered.get();
  }

  public long rejected() {
    return rejected.get();
  }

  public long retried() {
    return retried.get();
  }

  public long throttledCount() {
    return throttled.get();
  }

  public long deadLettered() {
    return deadLettered.get();
  }

  @Override
  public String toString() {
    return "mapped="
        + mapped
        + " skipped="
        + skipped
        + " delivered="
        + delivered
        + " rejected="
        + rejected
        + " retried="
        + retried
        + " throttled="
        + throttled
        + " deadLettered="
        + deadLettered;
  }
}
