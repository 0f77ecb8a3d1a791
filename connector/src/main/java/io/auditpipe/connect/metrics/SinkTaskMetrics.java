package io.auditpipe.connect.metrics;

import io.auditpipe.workos.DeliveryListener;
import io.auditpipe.workos.DeliveryOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task's metrics, registered through Connect's plugin-metrics API ({@code
 * SinkTaskContext.pluginMetrics()}, KIP-877), so they appear under the worker's JMX domain tagged
 * with the connector and task. Also counts internally, so tests and logs can read the totals.
 * Thread-safe.
 *
 * <p>Restart-safe: a worker may start a task's new instance while the old one is still stopping,
 * and both register the same metric names (the worker's tags name only the connector and the task).
 * The newer registration takes the names over: the older instance's metrics are removed through its
 * own {@code PluginMetrics} first, which also empties what the worker's later close of that {@code
 * PluginMetrics} removes, so stopping the old instance cannot remove the new one's. {@link
 * #close()} (at the start of the task's {@code stop()}) gives them up early.
 */
public final class SinkTaskMetrics implements DeliveryListener {

  /**
   * Makes each instance's sensor names unique in the worker's registry. {@code
   * PluginMetrics.addSensor(name)} returns the registry-wide sensor of that name, so two tasks of
   * one worker using the same names would record into each other's metrics, and the first to stop
   * would remove the other's.
   */
  private static final AtomicLong INSTANCES = new AtomicLong();

  /** Which instance holds the metrics of a task (by the worker's tags); guarded by the class. */
  private static final Map<Map<String, String>, SinkTaskMetrics> OWNERS = new HashMap<>();

  private static final Logger log = LoggerFactory.getLogger(SinkTaskMetrics.class);

  private final PluginMetrics registry;
  private final Map<String, String> owner;
  private final List<String> sensorNames = new ArrayList<>();
  private final List<MetricName> gaugeNames = new ArrayList<>();
  private boolean released;

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

  private SinkTaskMetrics(
      PluginMetrics metrics, Map<String, String> owner, Supplier<Gauges> gauges) {
    this.registry = metrics;
    this.owner = owner;
    Sensor[] sensors = metrics == null ? null : registerAll(metrics, gauges);
    if (sensors == null) {
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
    mappedSensor = sensors[0];
    skippedSensor = sensors[1];
    deliveredSensor = sensors[2];
    rejectedSensor = sensors[3];
    retriedSensor = sensors[4];
    throttledSensor = sensors[5];
    deadLetteredSensor = sensors[6];
    latencySensor = sensors[7];
  }

  /**
   * Registers every metric; on a name still held elsewhere (e.g. by a copy of this plugin in
   * another class loader) removes what it registered and answers {@code null}: the task runs
   * without published metrics rather than not at all.
   */
  private Sensor[] registerAll(PluginMetrics metrics, Supplier<Gauges> gauges) {
    String sensorPrefix = "auditpipe-sink-task-" + INSTANCES.incrementAndGet() + ".";
    try {
      Sensor[] sensors = {
        counter(metrics, sensorPrefix, "records-mapped", "records mapped into one or more events"),
        counter(metrics, sensorPrefix, "records-skipped", "records no rule selects, or tombstones"),
        counter(metrics, sensorPrefix, "events-delivered", "events WorkOS accepted"),
        counter(metrics, sensorPrefix, "events-rejected", "events WorkOS refused with a 4xx"),
        counter(metrics, sensorPrefix, "requests-retried", "requests retried"),
        counter(metrics, sensorPrefix, "requests-throttled", "429 answers from WorkOS"),
        counter(metrics, sensorPrefix, "records-dead-lettered", "records sent to the DLQ"),
        sensor(metrics, sensorPrefix + "request-latency")
      };
      Sensor latency = sensors[7];
      latency.add(
          metrics.metricName(
              "request-latency-avg", "average WorkOS request latency in ms", new LinkedHashMap<>()),
          new Avg());
      latency.add(
          metrics.metricName(
              "request-latency-max", "maximum WorkOS request latency in ms", new LinkedHashMap<>()),
          new Max());
      gauge(
          metrics,
          metrics.metricName("in-flight", "events being delivered", new LinkedHashMap<>()),
          (Gauge<Integer>) (config, now) -> gauges.get().inFlight());
      gauge(
          metrics,
          metrics.metricName(
              "buffer-records", "records taken and not yet resolved", new LinkedHashMap<>()),
          (Gauge<Integer>) (config, now) -> gauges.get().bufferedRecords());
      gauge(
          metrics,
          metrics.metricName(
              "buffer-fill-ratio",
              "the fuller of the record and byte buffer bounds; the task pauses at 1",
              new LinkedHashMap<>()),
          (Gauge<Double>) (config, now) -> gauges.get().fillRatio());
      gauge(
          metrics,
          metrics.metricName(
              "workos-available",
              "1 while WorkOS answers, 0 while the task waits out an outage",
              new LinkedHashMap<>()),
          (Gauge<Integer>) (config, now) -> gauges.get().workOsAvailable() ? 1 : 0);
      gauge(
          metrics,
          metrics.metricName(
              "oldest-undelivered-record-age-ms",
              "how long the oldest record being delivered has waited, in ms",
              new LinkedHashMap<>()),
          (Gauge<Long>) (config, now) -> gauges.get().oldestUndeliveredRecordAgeMs());
      gauge(
          metrics,
          metrics.metricName(
              "workos-outages-total",
              "outages of WorkOS the task waited out",
              new LinkedHashMap<>()),
          (Gauge<Long>) (config, now) -> gauges.get().outages());
      gauge(
          metrics,
          metrics.metricName(
              "workos-unavailable-time-ms-total",
              "time WorkOS was unavailable in all, the current outage included, in ms",
              new LinkedHashMap<>()),
          (Gauge<Long>) (config, now) -> gauges.get().unavailableMs());
      return sensors;
    } catch (IllegalArgumentException | IllegalStateException e) {
      log.warn(
          "the task's metrics are not published: {}; restart the task to publish them",
          e.getMessage());
      removeAll();
      return null;
    }
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
   * only the internal counters. Takes the names over from an instance of the same task that has not
   * given them up yet.
   */
  public static SinkTaskMetrics register(PluginMetrics metrics, Supplier<Gauges> gauges) {
    if (metrics == null) {
      return new SinkTaskMetrics(null, Map.of(), gauges);
    }
    Map<String, String> owner =
        Map.copyOf(metrics.metricName("records-mapped-total", "", new LinkedHashMap<>()).tags());
    synchronized (SinkTaskMetrics.class) {
      SinkTaskMetrics previous = OWNERS.get(owner);
      if (previous != null) {
        log.info("metrics of {} taken over from an instance still stopping", owner);
        previous.close();
      }
      SinkTaskMetrics created = new SinkTaskMetrics(metrics, owner, gauges);
      OWNERS.put(owner, created);
      return created;
    }
  }

  /**
   * Removes this instance's metrics, unless a newer instance of the task took them over. The
   * internal counters keep counting. Idempotent.
   */
  public void close() {
    synchronized (SinkTaskMetrics.class) {
      if (released) {
        return;
      }
      released = true;
      removeAll();
      OWNERS.remove(owner, this);
    }
  }

  /** Removes what this instance registered, through its own {@code PluginMetrics}. */
  private void removeAll() {
    if (registry == null) {
      return;
    }
    try {
      for (String sensor : sensorNames) {
        registry.removeSensor(sensor);
      }
      for (MetricName gauge : gaugeNames) {
        registry.removeMetric(gauge);
      }
    } catch (IllegalStateException workerClosedIt) {
      // The worker is closing this PluginMetrics, which removes the same metrics.
    }
    sensorNames.clear();
    gaugeNames.clear();
  }

  private Sensor sensor(PluginMetrics metrics, String name) {
    Sensor sensor = metrics.addSensor(name);
    sensorNames.add(name);
    return sensor;
  }

  private void gauge(PluginMetrics metrics, MetricName name, Gauge<?> gauge) {
    metrics.addMetric(name, gauge);
    gaugeNames.add(name);
  }

  private Sensor counter(
      PluginMetrics metrics, String sensorPrefix, String name, String description) {
    Sensor sensor = sensor(metrics, sensorPrefix + name);
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
      sensor.record((double) n);
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
