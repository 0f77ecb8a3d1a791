package io.auditpipe.bench.delivery;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time and times scheduled of this JVM's threads by group, from {@code /proc/self/task/*}
 * (Linux): JVM threads (GC, JIT compilers) included, which {@code ThreadMXBean} does not see.
 * Threads are grouped by name with digits dropped ({@code HttpClient-1-Se} and {@code
 * HttpClient-2-Se} are one group; the kernel keeps 15 characters of a name). At a hundred events a
 * second the cost is in waking threads, not in running them, so the times a group was put on a CPU
 * ({@code schedstat}'s third field) are reported beside its CPU time.
 */
final class ThreadCpu {

  /**
   * {@code THREAD_DETAIL=1}: also each thread run more than once per ten events on its own line (a
   * pool's selector apart from its workers).
   */
  private static final boolean DETAIL = System.getenv("THREAD_DETAIL") != null;

  private final Map<String, Sample> byThread;

  /** One thread's CPU nanoseconds and the times it was scheduled. */
  private record Sample(long cpuNanos, long runs) {
    Sample minus(Sample before) {
      return new Sample(cpuNanos - before.cpuNanos, runs - before.runs);
    }

    Sample plus(Sample other) {
      return new Sample(cpuNanos + other.cpuNanos, runs + other.runs);
    }
  }

  private ThreadCpu(Map<String, Sample> byThread) {
    this.byThread = byThread;
  }

  /** The threads' figures now; empty where {@code /proc} is not there. */
  static ThreadCpu snapshot() {
    Map<String, Sample> samples = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      tasks.forEach(
          task -> {
            try {
              String name = read(task.resolve("comm"));
              // schedstat: ns on a CPU, ns waiting for one, times run on a CPU.
              String[] f = read(task.resolve("schedstat")).split(" ", -1);
              samples.put(
                  task.getFileName() + " " + name,
                  new Sample(Long.parseLong(f[0]), Long.parseLong(f[2])));
            } catch (IOException | RuntimeException e) {
              // The thread ended between the listing and the read.
            }
          });
    } catch (IOException e) {
      return new ThreadCpu(Map.of());
    }
    return new ThreadCpu(samples);
  }

  /**
   * A small {@code /proc} file. Through {@link FileInputStream}, not {@code Files}: NIO file reads
   * share {@code sun.nio.ch.IOUtil} with the client's socket reads, and a file read in the middle
   * of the run would change that code's profile and have the JIT recompile the socket path while it
   * is measured.
   */
  private static String read(Path file) throws IOException {
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
    }
  }

  /** CPU time of the JIT compiler threads between {@code before} and this snapshot, in ns. */
  long compilerNanosSince(ThreadCpu before) {
    long nanos = 0;
    for (Map.Entry<String, Sample> e : byThread.entrySet()) {
      if (e.getKey().contains("CompilerThre")) {
        nanos += delta(e.getKey(), before).cpuNanos;
      }
    }
    return nanos;
  }

  /**
   * One line per thread group (and per busy thread with {@link #DETAIL}): CPU µs per event between
   * {@code before} and this snapshot, its share of the total, and the times its threads were
   * scheduled per event.
   */
  String since(ThreadCpu before, long events) {
    Map<String, Sample> byGroup = new TreeMap<>();
    long total = 0;
    for (String thread : byThread.keySet()) {
      Sample d = delta(thread, before);
      String name = thread.substring(thread.indexOf(' ') + 1);
      byGroup.merge(name.replaceAll("[0-9]+", "N"), d, Sample::plus);
      if (DETAIL && d.runs > events / 10) {
        byGroup.merge("  " + thread, d, Sample::plus);
      }
      total += d.cpuNanos;
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Sample> e : byGroup.entrySet()) {
      Sample s = e.getValue();
      if (s.cpuNanos == 0) {
        continue;
      }
      b.append(
          String.format(
              Locale.ROOT,
              "THREADS %-18s %8.1f us/event %5.1f%% %6.2f runs/event%n",
              e.getKey(),
              s.cpuNanos / 1e3 / events,
              100.0 * s.cpuNanos / Math.max(1, total),
              (double) s.runs / events));
    }
    return b.toString();
  }

  private Sample delta(String thread, ThreadCpu before) {
    return byThread.get(thread).minus(before.byThread.getOrDefault(thread, new Sample(0, 0)));
  }
}
