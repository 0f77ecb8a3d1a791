package io.auditpipe.connect.it;

import io.auditpipe.testkit.connect.EmbeddedConnect;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.management.JMException;
import javax.management.ObjectName;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/** Starting the in-process broker and Connect worker, and bounded waits. */
final class ConnectClusterSupport {

  /** The API key the tests configure; it must never show up anywhere but the HTTP header. */
  static final String TEST_API_KEY = "sk_test_auditpipe_it_9f3c2b7e41d8";

  private ConnectClusterSupport() {}

  private static EmbeddedConnectCluster shared;

  /**
   * One broker and one worker shared by the test classes that neither stop workers nor brokers;
   * stopped by {@link SharedClusterStop} when the test plan has run. Each class uses its own topics
   * and connectors.
   */
  static synchronized EmbeddedConnectCluster sharedCluster() {
    if (shared == null) {
      shared = startCluster("auditpipe-shared", 1);
    }
    return shared;
  }

  /**
   * Stops the shared cluster, if one runs, before the test JVM exits: left to a shutdown hook, its
   * stop races the shutdown hook Jetty registers for Connect's REST server (stop-at-shutdown with a
   * 60 s graceful stop timeout), and the fork outlived Surefire's 30 s exit timeout.
   */
  static synchronized void stopSharedCluster() {
    if (shared != null) {
      EmbeddedConnectCluster cluster = shared;
      shared = null;
      cluster.stop();
    }
  }

  static EmbeddedConnectCluster startCluster(String name, int workers) {
    Map<String, String> workerProps = new HashMap<>();
    workerProps.put("offset.flush.interval.ms", "1000");
    // A departed worker's tasks move at once instead of after the default 5-minute grace period.
    workerProps.put("scheduled.rebalance.max.delay.ms", "1000");
    workerProps.put("plugin.discovery", "hybrid_warn");
    workerProps.put("config.providers", "env,file");
    workerProps.put(
        "config.providers.file.class",
        "org.apache.kafka.common.config.provider.FileConfigProvider");
    workerProps.put(
        "config.providers.env.class",
        "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    return EmbeddedConnect.start(name, workers, workerProps);
  }

  /**
   * A {@code ${file:…}} reference to {@link #TEST_API_KEY}, as users give the key: the worker
   * resolves it when it starts a task, and the config (and every REST answer) holds only the
   * reference.
   */
  static synchronized String apiKeyReference() {
    try {
      Path file = Path.of(System.getProperty("java.io.tmpdir"), "auditpipe-it-secrets.properties");
      Files.writeString(file, "api.key=" + TEST_API_KEY + "\n", StandardCharsets.UTF_8);
      return "${file:" + file.toAbsolutePath() + ":api.key}";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Waits until {@code condition} holds, polling; fails with {@code what} after {@code timeout}.
   */
  static void await(Duration timeout, String what, BooleanSupplier condition) {
    Instant until = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(until)) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  /**
   * A task's plugin metric as the worker publishes it over JMX: Connect 4.3 registers the metrics a
   * task adds through {@code SinkTaskContext.pluginMetrics()} in group {@code plugins}, tagged with
   * the connector and task, under its JMX prefix {@code kafka.connect}.
   */
  static double pluginMetric(String connector, int task, String name) {
    String mbean = "kafka.connect:type=plugins,connector=" + connector + ",task=" + task;
    try {
      Object value =
          ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(mbean), name);
      return ((Number) value).doubleValue();
    } catch (JMException e) {
      throw new AssertionError("expected attribute " + name + " of MBean " + mbean, e);
    }
  }

  /** Everything logged by the test JVM so far (slf4j-simple writes to this file). */
  static String capturedLogs() throws Exception {
    String file = System.getProperty("org.slf4j.simpleLogger.logFile");
    if (file == null) {
      return "";
    }
    Path path = Path.of(file);
    return Files.exists(path) ? Files.readString(path, StandardCharsets.ISO_8859_1) : "";
  }
}
