package io.auditpipe.cli.local;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads a local run's {@link Progress} from where each count is known: the producer, the
 * processor's Streams metrics, the connector's plugin metrics (JMX) and the dead-letter topic.
 */
final class ProgressMeter {

  private final SampleProducer producer;
  private final Optional<LocalProcessor> processor;
  private final TopicCounter deadLetters;
  private final Supplier<ConnectorStatus> connectorStatus;
  private final ConnectorCounters connector = new ConnectorCounters();

  ProgressMeter(
      SampleProducer producer,
      Optional<LocalProcessor> processor,
      TopicCounter deadLetters,
      Supplier<ConnectorStatus> connectorStatus) {
    this.producer = producer;
    this.processor = processor;
    this.deadLetters = deadLetters;
    this.connectorStatus = connectorStatus;
  }

  Progress read() {
    long mapped = processor.map(LocalProcessor::mapped).orElseGet(connector::mapped);
    long skipped = processor.map(LocalProcessor::skipped).orElse(0L) + connector.skipped();
    // Counted on the topic: the processor's metrics miss records that are not even JSON.
    long deadLettered = deadLetters.count();
    ConnectorStatus status = connectorStatus.get();
    Optional<String> failure =
        status.failure().or(() -> processor.flatMap(LocalProcessor::failure));
    return new Progress(
        producer.produced(),
        mapped,
        skipped,
        connector.delivered(),
        deadLettered,
        connector.throttled(),
        status.state(),
        failure);
  }
}
