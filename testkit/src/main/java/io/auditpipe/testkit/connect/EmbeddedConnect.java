package io.auditpipe.testkit.connect;

import io.auditpipe.testkit.kafka.KafkaBroker;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * Connect workers and one KRaft broker in this JVM (Kafka's own test kit), the broker set up as
 * {@link KafkaBroker#singleBrokerProperties()} so the processor's transactions run on it too.
 */
public final class EmbeddedConnect {

  private EmbeddedConnect() {}

  /**
   * Starts {@code workers} distributed workers with {@code workerProps} and one broker; the caller
   * stops the cluster.
   */
  public static EmbeddedConnectCluster start(
      String name, int workers, Map<String, String> workerProps) {
    return start(name, workers, workerProps, Map.of());
  }

  /** As {@link #start(String, int, Map)}, with {@code brokerProps} on top of the defaults. */
  public static EmbeddedConnectCluster start(
      String name, int workers, Map<String, String> workerProps, Map<String, String> brokerProps) {
    Properties broker = KafkaBroker.singleBrokerProperties();
    broker.putAll(brokerProps);
    EmbeddedConnectCluster cluster =
        new EmbeddedConnectCluster.Builder()
            .name(name)
            .numWorkers(workers)
            .numBrokers(1)
            .workerProps(new HashMap<>(workerProps))
            .brokerProps(broker)
            .build();
    cluster.start();
    return cluster;
  }
}
