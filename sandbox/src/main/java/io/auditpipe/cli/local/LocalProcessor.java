package io.auditpipe.cli.local;

import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.processor.AuditProcessor;
import io.auditpipe.processor.config.ProcessorConfig;
import io.auditpipe.processor.metrics.RuleMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/** The auditpipe processor (Kafka Streams) running in this process, with its counters. */
final class LocalProcessor implements AutoCloseable {

  private final AuditProcessor processor;

  private LocalProcessor(AuditProcessor processor) {
    this.processor = processor;
  }

  static LocalProcessor start(
      String bootstrapServers, Path rules, String outputTopic, String dlqTopic, Path dataDir)
      throws Exception {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put(ProcessorConfig.RULES_PATH_CONFIG, rules.toAbsolutePath().toString());
    props.put(ProcessorConfig.OUTPUT_TOPIC_CONFIG, outputTopic);
    props.put(ProcessorConfig.DLQ_TOPIC_CONFIG, dlqTopic);
    props.put("application.id", "auditpipe-local-processor");
    props.put("state.dir", Files.createDirectories(dataDir.resolve("processor")).toString());
    // Commit (and so make mapped events visible to the connector) every half second.
    props.put("commit.interval.ms", "500");
    ProcessorConfig config = new ProcessorConfig(props);
    AuditProcessor processor =
        AuditProcessor.create(config, RulesCompiler.compile(Files.readString(config.rulesPath())));
    processor.start();
    return new LocalProcessor(processor);
  }

  /** Why the processor stopped, once it stopped on an error. */
  Optional<String> failure() {
    KafkaStreams.State state = processor.streams().state();
    return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
        ? Optional.of("the processor stopped on an error")
        : Optional.empty();
  }

  /** Events written to the output topic. */
  long mapped() {
    return total("mapped-total");
  }

  /** Records no rule selected (and tombstones). */
  long skipped() {
    return total("skipped-total");
  }

  private long total(String name) {
    double sum = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : processor.streams().metrics().entrySet()) {
      MetricName metric = e.getKey();
      if (metric.group().equals(RuleMetrics.GROUP) && metric.name().equals(name)) {
        Object value = e.getValue().metricValue();
        if (value instanceof Number n) {
          sum += n.doubleValue();
        }
      }
    }
    return (long) sum;
  }

  @Override
  public void close() {
    processor.close(Duration.ofSeconds(30));
  }
}
