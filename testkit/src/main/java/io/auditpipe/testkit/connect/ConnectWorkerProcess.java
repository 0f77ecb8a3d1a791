package io.auditpipe.testkit.connect;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A distributed Connect worker deployed as users deploy it: {@code ConnectDistributed} in its own
 * JVM, Kafka's jars on the classpath and nothing of auditpipe, the connector loaded from the
 * unpacked plugin archive on {@code plugin.path}. It can be killed ({@code kill -9}) and started
 * again with the same properties and REST port; its output (every start appended) goes to one log.
 */
public final class ConnectWorkerProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  /** Connect's request log line of a restart call (connector or task), whoever made it. */
  private static final Pattern RESTART_REQUEST =
      Pattern.compile("\"POST /connectors/[^ ]+/restart[^ ]* HTTP");

  /**
   * How to run the worker.
   *
   * @param bootstrapServers the broker
   * @param pluginPath the directory holding the unpacked plugin archive
   * @param classpath the worker JVM's classpath: Kafka's jars without the connector
   * @param groupId the Connect group, also the prefix of its internal topics
   * @param overrides worker properties added to (or replacing) the defaults
   * @param jvmOptions options of the worker JVM besides its heap ({@code -Xmx512m})
   * @param log the file the worker's output is appended to
   */
  public record Settings(
      String bootstrapServers,
      Path pluginPath,
      String classpath,
      String groupId,
      Map<String, String> overrides,
      List<String> jvmOptions,
      Path log) {
    public Settings {
      overrides = Map.copyOf(overrides);
      jvmOptions = List.copyOf(jvmOptions);
    }
  }

  private final List<String> command;
  private final Path log;
  private final ConnectRest rest;
  private Process process;

  private ConnectWorkerProcess(List<String> command, Path log, ConnectRest rest) {
    this.command = List.copyOf(command);
    this.log = log;
    this.rest = rest;
  }

  /** Starts the worker and waits for its REST API. */
  public static ConnectWorkerProcess start(Settings s) {
    int port = freePort();
    Map<String, String> props = new LinkedHashMap<>();
    props.put("bootstrap.servers", s.bootstrapServers());
    props.put("group.id", s.groupId());
    props.put("listeners", "http://127.0.0.1:" + port);
    props.put("config.storage.topic", s.groupId() + "-configs");
    props.put("offset.storage.topic", s.groupId() + "-offsets");
    props.put("status.storage.topic", s.groupId() + "-status");
    props.put("config.storage.replication.factor", "1");
    props.put("offset.storage.replication.factor", "1");
    props.put("status.storage.replication.factor", "1");
    props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("plugin.path", s.pluginPath().toAbsolutePath().toString());
    props.put("plugin.discovery", "service_load");
    props.put("config.providers", "file");
    props.put(
        "config.providers.file.class",
        "org.apache.kafka.common.config.provider.FileConfigProvider");
    props.putAll(s.overrides());
    try {
      Files.createDirectories(s.log().toAbsolutePath().getParent());
      Path file =
          Files.createTempFile(s.log().toAbsolutePath().getParent(), "worker", ".properties");
      StringBuilder text = new StringBuilder();
      props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      Files.writeString(file, text, StandardCharsets.UTF_8);
      Files.deleteIfExists(s.log());
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx512m");
      // Timestamps in the worker's log (slf4j-simple, when that is the binding on the classpath).
      command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
      command.addAll(s.jvmOptions());
      command.add("-cp");
      command.add(s.classpath());
      command.add("org.apache.kafka.connect.cli.ConnectDistributed");
      command.add(file.toString());
      ConnectWorkerProcess worker =
          new ConnectWorkerProcess(
              command, s.log(), new ConnectRest(URI.create("http://127.0.0.1:" + port + "/")));
      worker.launch();
      return worker;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Connect worker", e);
    }
  }

  /**
   * The classpath of this JVM without any auditpipe module: Kafka's jars and what they need, as a
   * stock worker has them.
   */
  public static String kafkaClasspathOfThisJvm() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("auditpipe"))
        .filter(e -> !e.endsWith("classes") && !e.endsWith("classes" + File.separator))
        .collect(Collectors.joining(File.pathSeparator));
  }

  public ConnectRest rest() {
    return rest;
  }

  public Path log() {
    return log;
  }

  /** {@code kill -9}: no shutdown hook runs, no offset is committed, no task is stopped. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the worker did not die within 30 s of kill -9");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted killing the worker", e);
    }
  }

  /** Starts the worker again with the same properties and REST port, after {@link #kill()}. */
  public void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("the worker is still running");
    }
    launch();
  }

  /** The restart calls ({@code POST …/restart}) the worker's request log shows, by anyone. */
  public List<String> restartRequestsLogged() {
    try {
      return Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
          .filter(line -> RESTART_REQUEST.matcher(line).find())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch() {
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Connect worker JVM", e);
    }
    Instant until = Instant.now().plus(START_TIMEOUT);
    while (rest.get("connectors").filter(ConnectRest.Answer::ok).isEmpty()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Connect worker exited with " + process.exitValue() + "; see " + log);
      }
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException(
            "the Connect worker's REST API did not answer within "
                + START_TIMEOUT
                + "; see "
                + log);
      }
      sleep(Duration.ofMillis(200));
    }
  }

  /** Stops the worker as an operator would (SIGTERM), forcibly after 30 s. */
  @Override
  public void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
