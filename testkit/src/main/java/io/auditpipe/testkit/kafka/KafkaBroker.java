package io.auditpipe.testkit.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/**
 * A single-broker KRaft cluster in this JVM (Kafka's own test kit) that can be restarted: the
 * broker stops and comes back on the same listener port with its log directory, so clients
 * reconnect to the address they were given.
 */
public final class KafkaBroker implements AutoCloseable {

  private final EmbeddedKafkaCluster cluster;

  private KafkaBroker(EmbeddedKafkaCluster cluster) {
    this.cluster = cluster;
  }

  public static KafkaBroker start() {
    // The group-offsets topic is created when the first group forms: 5 partitions instead of 50
    // is what one broker on 2 cores needs, and is created in a fraction of the time.
    return start(Map.of("offsets.topic.num.partitions", "5"));
  }

  /** A broker with {@link #singleBrokerProperties()} and {@code overrides} on top. */
  public static KafkaBroker start(Map<String, String> overrides) {
    Properties props = singleBrokerProperties();
    props.putAll(overrides);
    EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(1, props);
    cluster.start();
    return new KafkaBroker(cluster);
  }

  /** What transactions need on one broker: their state log on one replica, no rebalance delay. */
  public static Properties singleBrokerProperties() {
    Properties props = new Properties();
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    return props;
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  public void createTopic(String topic, int partitions) {
    cluster.createTopic(topic, partitions);
  }

  /** A producer that waits out a broker restart rather than failing a send. */
  public KafkaProducer<byte[], byte[]> producer() {
    return cluster.createProducer(
        Map.of("acks", "all", "delivery.timeout.ms", 300_000, "linger.ms", 5));
  }

  /**
   * Stops the broker (a clean shutdown, as a rolling restart does), keeps it down for {@code down},
   * starts it again on the same port and waits until it serves.
   *
   * @throws IllegalStateException if it came back on another address
   */
  public void restart(Duration down) {
    String before = bootstrapServers();
    cluster.stopOnlyBrokers();
    sleep(down);
    cluster.restartOnlyBrokers();
    String after = bootstrapServers();
    if (!after.equals(before)) {
      throw new IllegalStateException(
          "expected the broker back on " + before + ", found it on " + after);
    }
  }

  /**
   * Records in {@code topic} (the sum of its partitions' end offsets); 0 when the topic does not
   * exist.
   */
  public long recordCount(String topic) {
    try (Admin admin = cluster.createAdminClient()) {
      TopicDescription d;
      try {
        d = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          return 0;
        }
        throw e;
      }
      Map<TopicPartition, OffsetSpec> latest =
          d.partitions().stream()
              .collect(
                  Collectors.toMap(
                      p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get();
      return ends.values().stream()
          .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
          .sum();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the end offsets of " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Client properties that reach this broker. */
  public Properties clientProperties() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers());
    return props;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    cluster.stop();
  }
}
