package io.auditpipe.testkit.connect;

import io.auditpipe.testkit.kafka.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
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

  /**
   * The connector module's unpacked plugin archive ({@code
   * connector/target/auditpipe-connector-<version>-plugin/}) in this checkout, for {@code
   * plugin.path}: modules whose build depends on the connector's plugin zip find it here.
   */
  public static Path unpackedPluginArchive() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path target = p.resolve("connector").resolve("target");
      if (Files.isDirectory(target)) {
        try (Stream<Path> files = Files.list(target)) {
          Optional<Path> unpacked =
              files
                  .filter(Files::isDirectory)
                  .filter(f -> f.getFileName().toString().matches("auditpipe-connector-.*-plugin"))
                  .findFirst();
          if (unpacked.isPresent()) {
            return unpacked.get();
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException(
        "expected the connector's unpacked plugin archive under connector/target above "
            + Path.of("").toAbsolutePath()
            + ", found none: build it with mvn -pl connector -am package -DskipTests");
  }
}
