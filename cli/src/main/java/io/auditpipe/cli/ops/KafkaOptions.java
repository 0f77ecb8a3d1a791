package io.auditpipe.cli.ops;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Option;

/**
 * Where Kafka is and how to talk to it, shared by every command that reads or writes topics ({@code
 * dlq inspect}, {@code dlq replay}, {@code reconcile}): one spelling of the options for all of
 * them.
 */
public final class KafkaOptions {

  private static final Duration REACHABILITY_TIMEOUT = Duration.ofSeconds(5);

  @Option(
      names = {"-b", "--bootstrap-servers"},
      required = true,
      paramLabel = "HOST:PORT",
      description = "Kafka's bootstrap servers.")
  String bootstrapServers;

  // --consumer-property is the name dlq inspect and reconcile had before the options were shared.
  @Option(
      names = {"-X", "--kafka-property", "--consumer-property"},
      paramLabel = "KEY=VALUE",
      description =
          "A Kafka client property (security settings, …) for every client the command makes;"
              + " repeat for several.")
  Map<String, String> properties = new HashMap<>();

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Empty when a bootstrap server accepts a connection; otherwise why none does, so a wrong address
   * fails in seconds instead of after a client's timeout.
   */
  public Optional<String> unreachable() {
    return KafkaReachability.problem(bootstrapServers, REACHABILITY_TIMEOUT);
  }

  /**
   * Consumer properties: the user's, then the bootstrap servers, no auto-commit, {@code
   * read_committed}, {@code clientId}, and quick connection limits unless the user set them.
   */
  public Properties consumer(String clientId) {
    Properties props = new Properties();
    props.putAll(properties);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.putIfAbsent(ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "5000");
    props.putIfAbsent(ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, "10000");
    props.putIfAbsent(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
    return props;
  }

  /** Producer properties: the user's, then the bootstrap servers, idempotent with acks=all. */
  public Properties producer(String clientId) {
    Properties props = new Properties();
    props.putAll(properties);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return props;
  }
}
