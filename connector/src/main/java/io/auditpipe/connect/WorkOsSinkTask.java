package io.auditpipe.connect;

import io.auditpipe.connect.config.InputMode;
import io.auditpipe.connect.config.WorkOsSinkConnectorConfig;
import io.auditpipe.connect.delivery.DeliveryPipeline;
import io.auditpipe.connect.delivery.OffsetTracker;
import io.auditpipe.connect.delivery.OriginalCoordinates;
import io.auditpipe.connect.delivery.OutagePolicy;
import io.auditpipe.connect.dlq.DeadLetterReporter;
import io.auditpipe.connect.mapping.AuditEventRecordMapper;
import io.auditpipe.connect.mapping.DomainRecordMapper;
import io.auditpipe.connect.mapping.RecordDisposition;
import io.auditpipe.connect.mapping.RecordMapper;
import io.auditpipe.connect.metrics.SinkTaskMetrics;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.OrganizationResolver;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.core.rules.RulesValidationException;
import io.auditpipe.workos.AuditLogClient;
import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.api.ApiOrganizationLookup;
import io.auditpipe.workos.api.CachingOrganizationLookup;
import io.auditpipe.workos.api.OrganizationLookup;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps records and delivers the events to WorkOS asynchronously. {@code put()} never waits for
 * WorkOS: events queue for the client's in-flight slots, and when the records held reach the buffer
 * bounds the task pauses its partitions until half the room is free again. {@code preCommit()}
 * commits, per partition, only up to the first record that is not yet delivered, skipped or
 * dead-lettered.
 */
public final class WorkOsSinkTask extends SinkTask {

  private static final Logger log = LoggerFactory.getLogger(WorkOsSinkTask.class);

  /** How soon the worker polls again while records are unresolved, so progress is noticed. */
  static final long POLL_WHILE_BUSY_MS = 100;

  /** The longest {@code preCommit} waits for Connect's DLQ writes. */
  static final long DLQ_WRITE_TIMEOUT_MS = 30_000;

  /** The buffer estimate of a record whose value has no byte size (a Struct or a map). */
  static final long STRUCTURED_RECORD_BYTES = 1_024;

  private record Reported(Future<Void> write, OffsetTracker.Entry entry, String coordinates) {}

  private WorkOsSinkConnectorConfig config;
  private RecordMapper mapper;
  private AuditLogClient client;
  private OffsetTracker tracker;
  private DeliveryPipeline pipeline;
  private DeadLetterReporter deadLetters;
  private SinkTaskMetrics metrics;
  private final List<Reported> reported = new ArrayList<>();
  private boolean paused;
  private TopicPartition lastPartition;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new WorkOsSinkConnectorConfig(props);
    WorkOsClientConfig clientConfig = config.clientConfig();
    tracker = new OffsetTracker();
    metrics = SinkTaskMetrics.register(pluginMetrics(), this::gauges);
    client = AuditLogClient.builder(clientConfig).listener(metrics).build();
    Optional<OrganizationLookup> lookups = Optional.empty();
    if (config.inputMode() == InputMode.AUDIT_EVENT) {
      mapper = new AuditEventRecordMapper(config.nullValueBehavior());
    } else {
      CompiledRules rules = compileRules();
      if (rules.looksUpOrganizations()) {
        // Lookups run on the events' engine: one rate budget for the API key.
        lookups =
            Optional.of(CachingOrganizationLookup.of(new ApiOrganizationLookup(client.api())));
      }
      mapper =
          new DomainRecordMapper(rules, config.unmatchedOverride(), config.nullValueBehavior());
    }
    pipeline =
        new DeliveryPipeline(
            client,
            lookups,
            tracker,
            new OutagePolicy(
                config.outageBehavior(), config.outageMaxDuration(), config.poisonEventTimeout()),
            config.outageProbeBackoff(),
            config.outageProbeBackoffMax(),
            Clock.systemUTC());
    deadLetters = new DeadLetterReporter(errantRecordReporter());
    paused = false;
    log.info(
        "auditpipe task started: {} input, WorkOS {}, {} in flight",
        config.inputMode().externalName(),
        clientConfig.baseUrl(),
        clientConfig.maxInFlight());
  }

  private CompiledRules compileRules() {
    try {
      // Organizations by external id are resolved by the pipeline, off the task thread.
      return RulesCompiler.compile(config.rulesDocument(), OrganizationResolver.atDelivery());
    } catch (RulesValidationException e) {
      throw new ConnectException("the rules document is invalid: " + e.getMessage());
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    failIfFatal();
    // Counted per batch: a sensor records under a lock and reads the clock, too dear per record.
    int mapped = 0;
    int skipped = 0;
    try {
      for (SinkRecord record : records) {
        RecordDisposition disposition = mapper.map(record);
        if (disposition instanceof RecordDisposition.FailTask fail) {
          throw new ConnectException(fail.reason());
        }
        // By the coordinates the consumer read the record at: a transform that renames the topic
        // must not move the commit past records still in flight.
        OffsetTracker.Entry entry =
            tracker.track(
                partition(OriginalCoordinates.topic(record), OriginalCoordinates.partition(record)),
                OriginalCoordinates.offset(record),
                estimatedBytes(record.value()));
        if (disposition instanceof RecordDisposition.Deliver deliver) {
          mapped++;
          pipeline.submit(record, entry, deliver.events());
        } else if (disposition instanceof RecordDisposition.Skip) {
          skipped++;
          tracker.resolve(entry);
        } else if (disposition instanceof RecordDisposition.DeadLetterIt dl) {
          deadLetter(record, entry, dl.deadLetter());
        }
      }
    } finally {
      metrics.recordMapped(mapped);
      metrics.recordSkipped(skipped);
    }
    pipeline.drain();
    reportFailedDeliveries();
    settleReported(false);
    applyBackPressure();
    failIfFatal();
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(
      Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    pipeline.drain();
    reportFailedDeliveries();
    settleReported(true);
    failIfFatal();
    return tracker.committable(currentOffsets, context.assignment());
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    if (paused) {
      // Newly assigned partitions start paused too while the buffer is full.
      context.pause(partitions.toArray(new TopicPartition[0]));
    }
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    // Unresolved records of released partitions are consumed again by their new owner; the
    // idempotency keys keep WorkOS from storing their events twice.
    tracker.release(partitions);
  }

  @Override
  public void stop() {
    if (metrics != null) {
      // First: a new instance of this task may start before this stop returns.
      metrics.close();
    }
    if (pipeline != null) {
      pipeline.close();
    } else if (client != null) {
      // start() failed after building the client (invalid rules): stop its threads.
      client.close();
    }
    if (metrics != null) {
      log.info("auditpipe task stopped: {}", metrics);
    }
  }

  /** The task's counters, for tests and diagnostics. */
  SinkTaskMetrics metrics() {
    return metrics;
  }

  private void deadLetter(SinkRecord record, OffsetTracker.Entry entry, DeadLetter deadLetter) {
    String coordinates = DeadLetterReporter.coordinates(record);
    log.warn("dead-lettering {}: {}", coordinates, deadLetter.describe());
    Future<Void> write = deadLetters.report(record, deadLetter);
    metrics.recordDeadLettered();
    reported.add(new Reported(write, entry, coordinates));
  }

  private void reportFailedDeliveries() {
    for (DeliveryPipeline.Failed failed : pipeline.takeFailed()) {
      if (!tracker.isDiscarded(failed.entry())) {
        deadLetter(failed.record(), failed.entry(), failed.deadLetter());
      }
    }
  }

  /** Resolves records whose DLQ write completed; with {@code await}, waits for all of them. */
  private void settleReported(boolean await) {
    Iterator<Reported> it = reported.iterator();
    while (it.hasNext()) {
      Reported r = it.next();
      if (!await && !r.write().isDone()) {
        continue;
      }
      try {
        r.write().get(DLQ_WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectException("interrupted waiting for the DLQ write of " + r.coordinates());
      } catch (ExecutionException | TimeoutException e) {
        throw new ConnectException(
            "writing " + r.coordinates() + " to the dead-letter queue failed", e.getCause());
      }
      tracker.resolve(r.entry());
      it.remove();
    }
  }

  private void applyBackPressure() {
    int records = tracker.unresolvedRecords();
    long bytes = tracker.unresolvedBytes();
    int maxRecords = config.bufferMaxRecords();
    long maxBytes = config.bufferMaxBytes();
    if (!paused && (records >= maxRecords || bytes >= maxBytes)) {
      paused = true;
      context.pause(context.assignment().toArray(new TopicPartition[0]));
      log.debug("buffer full ({} records, {} bytes): partitions paused", records, bytes);
    } else if (paused && records <= maxRecords / 2 && bytes <= maxBytes / 2) {
      paused = false;
      context.resume(context.assignment().toArray(new TopicPartition[0]));
      log.debug("buffer at {} records, {} bytes: partitions resumed", records, bytes);
    }
    if (records > 0) {
      context.timeout(POLL_WHILE_BUSY_MS);
    }
  }

  private void failIfFatal() {
    Optional<String> fatal = pipeline.fatal();
    if (fatal.isPresent()) {
      throw new ConnectException(fatal.get());
    }
  }

  private SinkTaskMetrics.Gauges gauges() {
    return new SinkTaskMetrics.Gauges() {
      @Override
      public int inFlight() {
        return pipeline == null ? 0 : pipeline.inFlight();
      }

      @Override
      public int bufferedRecords() {
        return tracker.unresolvedRecords();
      }

      @Override
      public double fillRatio() {
        return Math.max(
            tracker.unresolvedRecords() / (double) config.bufferMaxRecords(),
            tracker.unresolvedBytes() / (double) config.bufferMaxBytes());
      }

      @Override
      public boolean workOsAvailable() {
        return pipeline == null || pipeline.availability().available();
      }

      @Override
      public long oldestUndeliveredRecordAgeMs() {
        return pipeline == null ? 0 : pipeline.oldestUndeliveredAge().toMillis();
      }

      @Override
      public long outages() {
        return pipeline == null ? 0 : pipeline.availability().outages();
      }

      @Override
      public long unavailableMs() {
        return pipeline == null ? 0 : pipeline.availability().unavailableTotal().toMillis();
      }
    };
  }

  private PluginMetrics pluginMetrics() {
    try {
      return context.pluginMetrics();
    } catch (UnsupportedOperationException | NoSuchMethodError | NoClassDefFoundError e) {
      log.info("the worker offers no plugin metrics; metrics are not published");
      return null;
    }
  }

  private Optional<ErrantRecordReporter> errantRecordReporter() {
    try {
      return Optional.ofNullable(context.errantRecordReporter());
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      return Optional.empty();
    }
  }

  /** The partition of a record; consecutive records of one partition share one instance. */
  private TopicPartition partition(String topic, int partition) {
    TopicPartition last = lastPartition;
    if (last == null || last.partition() != partition || !last.topic().equals(topic)) {
      last = new TopicPartition(topic, partition);
      lastPartition = last;
    }
    return last;
  }

  private static long estimatedBytes(Object value) {
    if (value instanceof byte[] b) {
      return b.length;
    }
    if (value instanceof ByteBuffer b) {
      return b.remaining();
    }
    if (value instanceof String s) {
      return s.length();
    }
    return value == null ? 0 : STRUCTURED_RECORD_BYTES;
  }
}
