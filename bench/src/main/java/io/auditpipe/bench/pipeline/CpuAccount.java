package io.auditpipe.bench.pipeline;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where this process's CPU went between two snapshots: the process total, and Java threads (by
 * name, from {@link ThreadMXBean}) and the JVM's own threads (GC, JIT, from {@code
 * /proc/self/task}) grouped by what they do. Threads that ended between the snapshots are in the
 * total only, shown as the remainder.
 */
final class CpuAccount {

  /**
   * Thread groups, first match wins (so the worker's {@code kafka-producer…} and {@code
   * kafka-coordinator…} clients come before the broker's {@code kafka-…}); the patterns match full
   * Java thread names.
   */
  private static final Map<String, Pattern> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put(
        "connector task thread (poll, convert, map, put)", Pattern.compile("^task-thread-.*"));
    GROUPS.put(
        "http client senders (blocking exchange, outcome callbacks)",
        Pattern.compile("^auditpipe-workos-send-.*"));
    GROUPS.put("http client pool/timer", Pattern.compile("^auditpipe-workos.*"));
    GROUPS.put("jdk HttpClient selector", Pattern.compile("^HttpClient-.*"));
    GROUPS.put("emulator (jetty)", Pattern.compile("^workos-emulator.*"));
    GROUPS.put(
        "connect worker (herder, producers, offsets)",
        Pattern.compile(
            "^(kafka-producer|kafka-coordinator|KafkaBasedLog|DistributedHerder|"
                + "pool-|StartAndStop|connector-|qtp|kafka-admin|herder|Session|SourceTask).*"));
    GROUPS.put(
        "broker",
        Pattern.compile(
            "^(data-plane-kafka|kafka-|broker-|controller-|ReplicaFetcher|ExpirationReaper|"
                + "group-coordinator|transaction-|raft-|quorum-|LogDirFailure|"
                + "executor-|share-|kafka-log|ForkJoinPool|TaskExecutor|"
                + "kafka-scheduler|metadata-|node-|BrokerLifecycle|"
                + "ControllerServer|BrokerServer|KafkaRaft|event-process).*"));
  }

  private static final Pattern JVM_THREADS =
      Pattern.compile(
          "^(GC Thread|C1 Compiler|C2 Compiler|VM Thread|VM Periodic|ParGC|"
              + "G1 |Sweeper|Service Thread|Monitor Defl).*");

  private final long processNanos;
  private final Map<Long, String> javaNames;
  private final Map<Long, Long> javaNanos;
  private final Map<String, Long> jvmNanos;

  private CpuAccount(
      long processNanos,
      Map<Long, String> javaNames,
      Map<Long, Long> javaNanos,
      Map<String, Long> jvmNanos) {
    this.processNanos = processNanos;
    this.javaNames = javaNames;
    this.javaNanos = javaNanos;
    this.jvmNanos = jvmNanos;
  }

  static CpuAccount now() {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, String> names = new HashMap<>();
    Map<Long, Long> nanos = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu >= 0) {
        names.put(info.getThreadId(), info.getThreadName());
        nanos.put(info.getThreadId(), cpu);
      }
    }
    return new CpuAccount(os.getProcessCpuTime(), names, nanos, jvmThreads());
  }

  /** Process CPU since {@code before}, in nanoseconds. */
  long processNanosSince(CpuAccount before) {
    return processNanos - before.processNanos;
  }

  /** One line per group: microseconds of CPU per event and share of the process's CPU. */
  String breakdown(CpuAccount before, long events) {
    Map<String, Long> groups = new LinkedHashMap<>();
    GROUPS.keySet().forEach(g -> groups.put(g, 0L));
    groups.put("other java threads", 0L);
    Map<String, Long> others = new HashMap<>();
    long accounted = 0;
    for (Map.Entry<Long, Long> e : javaNanos.entrySet()) {
      long delta = e.getValue() - before.javaNanos.getOrDefault(e.getKey(), 0L);
      String name = javaNames.get(e.getKey());
      String group = "other java threads";
      for (Map.Entry<String, Pattern> g : GROUPS.entrySet()) {
        if (g.getValue().matcher(name).matches()) {
          group = g.getKey();
          break;
        }
      }
      if (group.equals("other java threads")) {
        others.merge(name.replaceAll("[0-9]+", "N"), delta, Long::sum);
      }
      groups.merge(group, delta, Long::sum);
      accounted += delta;
    }
    long jvm = 0;
    Map<String, Long> jvmKinds = new HashMap<>();
    for (Map.Entry<String, Long> e : jvmNanos.entrySet()) {
      long delta = e.getValue() - before.jvmNanos.getOrDefault(e.getKey(), 0L);
      jvm += delta;
      String comm = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
      jvmKinds.merge(comm.replaceAll("[#0-9]+", "").strip(), delta, Long::sum);
    }
    groups.put("jvm (GC, JIT, VM threads)", jvm);
    accounted += jvm;
    long total = processNanosSince(before);
    groups.put("ended threads and unattributed", total - accounted);
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "CPU %.1f s for %d events = %.1f µs/event%n",
            total / 1e9,
            events,
            total / 1e3 / events));
    groups.forEach(
        (g, n) ->
            out.append(
                String.format(
                    Locale.ROOT,
                    "  %6.1f µs/event %5.1f %%  %s%n",
                    n / 1e3 / events,
                    100.0 * n / total,
                    g)));
    appendLargest(out, "jvm", jvmKinds, events);
    appendLargest(out, "other", others, events);
    return out.toString();
  }

  /** The 12 largest of {@code nanos}, by name, as µs per event. */
  private static void appendLargest(
      StringBuilder out, String label, Map<String, Long> nanos, long events) {
    nanos.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(12)
        .forEach(
            e ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "      %s: %6.1f µs/event  %s%n",
                        label,
                        e.getValue() / 1e3 / events,
                        e.getKey())));
  }

  /**
   * CPU of the JVM's own native threads by name and thread id, from {@code
   * /proc/self/task/<tid>/stat}.
   */
  private static Map<String, Long> jvmThreads() {
    Map<String, Long> out = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String comm = stat.substring(open + 1, close);
        if (!JVM_THREADS.matcher(comm).matches()) {
          continue;
        }
        String[] fields = stat.substring(close + 2).split(" ", -1);
        // After the name: state is field 3, utime field 14 and stime field 15 (1-based).
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        out.put(comm + "/" + task.getFileName(), ticks * 10_000_000L);
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }
}
