package io.auditpipe.connect.it;

import io.auditpipe.testkit.connect.EmbeddedConnect;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.ObjectName;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/** Starting the in-process broker and Connect worker, and bounded waits. */
final class ConnectClusterSupport {

  /** The API key the tests configure; it must never show up anywhere but the HTTP header. */
  static final String TEST_API_KEY = "sk_test_auditpipe_it_9f3c2b7e41d8";

  private ConnectClusterSupport() {}

  private static EmbeddedConnectCluster shared;

  /** Every cluster started here, so that none is left running when the JVM exits. */
  private static final List<EmbeddedConnectCluster> started = new ArrayList<>();

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
   * Stops the shared cluster and any other cluster started here that a test class left running,
   * each one's workers before its broker, while the test JVM is alive (issue 15, defect 8).
   *
   * <p>Whatever is still running at {@code System.exit} is stopped by shutdown hooks, which run
   * concurrently: Connect's own hook ({@code Connect.start} registers it) stops each worker, and a
   * hook of ours stopping the cluster would stop the broker too. When Connect's hook is first, it
   * holds the worker's stop flag, so the cluster's {@code WorkerHandle.stop} returns at once and
   * the broker goes down under the stopping worker: its herder then waits in {@code
   * producer.close()} for status records no broker will take, and {@code DistributedHerder.stop}
   * gives up on it only after 23 s (worker sync 3 s + task and connector shutdown 5 s each + 10 s).
   * With Surefire's 30 s, counted from the fork's goodbye, that killed the fork ("Surefire is going
   * to kill self fork JVM"). Stopped here, Connect's hook finds each worker stopped and returns at
   * once.
   */
  static synchronized void stopAll() {
    shared = null;
    List<RuntimeException> failures = new ArrayList<>();
    for (EmbeddedConnectCluster cluster : started) {
      if (running(cluster)) {
        try {
          cluster.stop();
        } catch (RuntimeException e) {
          failures.add(e);
        }
      }
    }
    started.clear();
    if (!failures.isEmpty()) {
      IllegalStateException e =
          new IllegalStateException("could not stop " + failures.size() + " Connect cluster(s)");
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  /** Whether any of the cluster's workers still runs its herder (a stopped one has ended it). */
  static boolean running(EmbeddedConnectCluster cluster) {
    return cluster.workers().stream().anyMatch(w -> !w.herderTask().isDone());
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
    EmbeddedConnectCluster cluster = EmbeddedConnect.start(name, workers, workerProps);
    synchronized (ConnectClusterSupport.class) {
      started.add(cluster);
    }
    return cluster;
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
    await(timeout, what, condition, () -> "");
  }

  /**
   * As {@link #await(Duration, String, BooleanSupplier)}; a timeout also says what {@code state}
   * then reads (how far the work got), so that a rare failure can be told from a slow run.
   */
  static void await(
      Duration timeout, String what, BooleanSupplier condition, Supplier<String> state) {
    Instant until = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(until)) {
        String seen = state.get();
        throw new AssertionError(
            "timed out after "
                + timeout
                + " waiting for "
                + what
                + (seen.isEmpty() ? "" : "; at the timeout: " + seen));
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

  /**
   * A connector's progress for a timeout message: its and its tasks' states (a failed task's trace
   * first line) and task 0's plugin counters; what cannot be read is said, not thrown.
   */
  static String progress(EmbeddedConnectCluster connect, String connector) {
    StringBuilder out = new StringBuilder();
    try {
      ConnectorStateInfo info = connect.connectorStatus(connector);
      out.append("connector ").append(info.connector().state());
      for (ConnectorStateInfo.TaskState task : info.tasks()) {
        out.append(", task ").append(task.id()).append(' ').append(task.state());
        if (task.trace() != null) {
          out.append(" (").append(task.trace().lines().findFirst().orElse("")).append(')');
        }
      }
    } catch (RuntimeException e) {
      out.append("connector status unreadable: ").append(e.getMessage());
    }
    for (String metric :
        List.of(
            "records-mapped-total",
            "events-delivered-total",
            "records-dead-lettered-total",
            "buffer-records")) {
      try {
        out.append(", ")
            .append(metric)
            .append('=')
            .append((long) pluginMetric(connector, 0, metric));
      } catch (AssertionError e) {
        out.append(", ").append(metric).append(" unreadable");
      }
    }
    // Where the task's and the client's threads stand, in case the pipeline itself stalled.
    Thread.getAllStackTraces()
        .forEach(
            (thread, stack) -> {
              if (thread.getName().contains(connector)
                  || thread.getName().contains("auditpipe-workos")) {
                out.append("\n  thread ")
                    .append(thread.getName())
                    .append(' ')
                    .append(thread.getState());
                for (int i = 0; i < Math.min(stack.length, 8); i++) {
                  out.append("\n    at ").append(stack[i]);
                }
              }
            });
    return out.toString();
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
