package io.auditpipe.cli.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft Kafka (broker and controller in one process) running in this JVM, with its
 * data under a local directory. Started the way an operator starts Kafka: a generated {@code
 * server.properties}, the storage formatted as {@code kafka-storage format --standalone} does, then
 * {@code KafkaRaftServer}, the server {@code kafka.Kafka} runs. Listens on 127.0.0.1 only.
 */
public final class LocalKafka implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private static final Map<String, String> SINGLE_NODE =
      Map.ofEntries(
          Map.entry("process.roles", "broker,controller"),
          Map.entry("node.id", "1"),
          Map.entry("controller.listener.names", "CONTROLLER"),
          Map.entry("inter.broker.listener.name", "PLAINTEXT"),
          Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
          Map.entry("offsets.topic.replication.factor", "1"),
          Map.entry("offsets.topic.num.partitions", "3"),
          Map.entry("transaction.state.log.replication.factor", "1"),
          Map.entry("transaction.state.log.min.isr", "1"),
          Map.entry("transaction.state.log.num.partitions", "3"),
          Map.entry("share.coordinator.state.topic.replication.factor", "1"),
          Map.entry("share.coordinator.state.topic.min.isr", "1"),
          Map.entry("group.initial.rebalance.delay.ms", "0"),
          Map.entry("auto.create.topics.enable", "false"),
          Map.entry("num.partitions", "3"));

  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private LocalKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /** Formats {@code dataDir} (which must be empty or absent) and starts the node. */
  public static LocalKafka start(Path dataDir) throws Exception {
    Files.createDirectories(dataDir);
    int brokerPort = freePort();
    int controllerPort = freePort();
    Properties props = new Properties();
    props.putAll(SINGLE_NODE);
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    props.put("log.dirs", dataDir.resolve("logs").toAbsolutePath().toString());
    Path config = dataDir.resolve("server.properties");
    try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      props.store(out, "auditpipe local: a single-node KRaft broker and controller");
    }
    format(config);
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    String bootstrap = "127.0.0.1:" + brokerPort;
    LocalKafka kafka = new LocalKafka(server, bootstrap);
    try {
      server.startup();
      awaitBroker(bootstrap);
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  /**
   * {@code kafka-storage format --config server.properties --cluster-id … --standalone}: a new
   * cluster whose single controller is this node. The tool prints to the given stream, which would
   * be the user's screen; its output is only kept when it fails.
   */
  private static void format(Path config) throws IOException {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exit;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      exit =
          StorageTool.execute(
              new String[] {
                "format",
                "--config",
                config.toString(),
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--standalone"
              },
              print);
    }
    if (exit != 0) {
      throw new IOException(
          "formatting the embedded broker's storage failed: "
              + output.toString(StandardCharsets.UTF_8).strip());
    }
  }

  /** Waits until the broker answers metadata requests: the controller has elected itself. */
  private static void awaitBroker(String bootstrap) throws Exception {
    Instant until = Instant.now().plus(READY_TIMEOUT);
    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          if (Instant.now().isAfter(until)) {
            throw new IOException(
                "the embedded broker did not become ready within "
                    + READY_TIMEOUT.toSeconds()
                    + " s",
                e);
          }
        }
        Thread.sleep(100);
      }
    }
  }

  /** A port free on loopback now; the broker binds it a moment later. */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
