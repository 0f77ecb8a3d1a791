package io.auditpipe.bench.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads by group, from {@code /proc/self/task/*}/stat (Linux): JVM threads
 * (GC, JIT compilers) included, which {@code ThreadMXBean} does not see. Threads are grouped by
 * name with digits dropped ({@code HttpClient-1-Se} and {@code HttpClient-2-Se} are one group; the
 * kernel keeps 15 characters of a name).
 */
final class ThreadCpu {

  private static final double NANOS_PER_TICK = 1e9 / 100; // USER_HZ is 100 on Linux

  private final Map<String, Long> ticksByThread;

  private ThreadCpu(Map<String, Long> ticksByThread) {
    this.ticksByThread = ticksByThread;
  }

  /** The threads' CPU ticks now; empty where {@code /proc} is not there. */
  static ThreadCpu snapshot() {
    Map<String, Long> ticks = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      tasks.forEach(
          task -> {
            try {
              String stat = Files.readString(task.resolve("stat"));
              int open = stat.indexOf('(');
              int close = stat.lastIndexOf(')');
              String name = stat.substring(open + 1, close);
              String[] f = stat.substring(close + 2).split(" ", -1);
              // After the name: state is field 3, utime field 14 and stime field 15 of stat(5).
              long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
              ticks.put(task.getFileName() + " " + name, t);
            } catch (IOException | RuntimeException e) {
              // The thread ended between the listing and the read.
            }
          });
    } catch (IOException e) {
      return new ThreadCpu(Map.of());
    }
    return new ThreadCpu(ticks);
  }

  /** CPU time of the JIT compiler threads between {@code before} and this snapshot, in ns. */
  long compilerNanosSince(ThreadCpu before) {
    long ticks = 0;
    for (Map.Entry<String, Long> e : ticksByThread.entrySet()) {
      if (e.getKey().contains("CompilerThre")) {
        ticks += e.getValue() - before.ticksByThread.getOrDefault(e.getKey(), 0L);
      }
    }
    return (long) (ticks * NANOS_PER_TICK);
  }

  /**
   * One line per thread group: CPU µs per event between {@code before} and this snapshot, and its
   * share of the total.
   */
  String since(ThreadCpu before, long events) {
    Map<String, Long> byGroup = new TreeMap<>();
    long total = 0;
    for (Map.Entry<String, Long> e : ticksByThread.entrySet()) {
      long delta = e.getValue() - before.ticksByThread.getOrDefault(e.getKey(), 0L);
      String name = e.getKey().substring(e.getKey().indexOf(' ') + 1);
      byGroup.merge(name.replaceAll("[0-9]+", "N"), delta, Long::sum);
      total += delta;
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Long> e : byGroup.entrySet()) {
      if (e.getValue() == 0) {
        continue;
      }
      b.append(
          String.format(
              Locale.ROOT,
              "THREADS %-18s %8.1f us/event %5.1f%%%n",
              e.getKey(),
              e.getValue() * NANOS_PER_TICK / 1e3 / events,
              100.0 * e.getValue() / Math.max(1, total)));
    }
    return b.toString();
  }
}
