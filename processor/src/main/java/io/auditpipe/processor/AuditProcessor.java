package io.auditpipe.processor;

import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.processor.config.ProcessorConfig;
import io.auditpipe.processor.topology.AuditTopologyFactory;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * One running processor: the topology built from the rules, in a {@link KafkaStreams} instance
 * configured by {@link ProcessorConfig}. The entry point for {@link ProcessorRunner}, the sandbox
 * and tests.
 */
public final class AuditProcessor implements AutoCloseable {

  private final KafkaStreams streams;
  private final Topology topology;

  private AuditProcessor(Topology topology, KafkaStreams streams) {
    this.topology = topology;
    this.streams = streams;
  }

  /**
   * A processor for {@code rules}, not yet started.
   *
   * @throws IllegalArgumentException when the rules select the output or dead-letter topic
   */
  public static AuditProcessor create(ProcessorConfig config, CompiledRules rules) {
    Topology topology =
        AuditTopologyFactory.build(rules, config.outputTopic(), config.outputFormat());
    Pattern subscription = AuditTopologyFactory.subscription(rules).orElseThrow();
    AuditTopologyFactory.requireNotSubscribed(subscription, config.dlqTopic(), "dead-letter");
    return new AuditProcessor(topology, new KafkaStreams(topology, config.streamsProperties()));
  }

  public void start() {
    streams.start();
  }

  public KafkaStreams streams() {
    return streams;
  }

  public Topology topology() {
    return topology;
  }

  /** Closes within {@code timeout}; returns whether every thread stopped in time. */
  public boolean close(Duration timeout) {
    return streams.close(timeout);
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
