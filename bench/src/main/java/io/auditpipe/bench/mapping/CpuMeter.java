package io.auditpipe.bench.mapping;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Events per CPU-second of the benchmark JVM over the measurement iterations. On an idle machine a
 * single-threaded benchmark's CPU-seconds are its wall-clock seconds; on the shared 2-core machine
 * the benchmarks run on, other work steals wall-clock time unevenly between variants run minutes
 * apart, but not CPU time. Process CPU time (not thread CPU time) so garbage collection and JIT
 * threads count against the variant that causes them. Appends {@code <benchmark> <ops> <cpu nanos>}
 * to the file named by {@code auditpipe.bench.cpu.out}, if set.
 */
@State(Scope.Thread)
public class CpuMeter {

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** Operations of the current iteration; each benchmark method counts its own. */
  public long ops;

  private boolean measuring;
  private long start;
  private long totalOps;
  private long totalCpuNanos;

  @Setup(Level.Iteration)
  public void begin(IterationParams iteration) {
    measuring = iteration.getType() == IterationType.MEASUREMENT;
    ops = 0;
    start = OS.getProcessCpuTime();
  }

  @TearDown(Level.Iteration)
  public void end() {
    long cpu = OS.getProcessCpuTime() - start;
    if (measuring) {
      totalOps += ops;
      totalCpuNanos += cpu;
    }
  }

  @TearDown(Level.Trial)
  public void report(BenchmarkParams benchmark) {
    String out = System.getProperty("auditpipe.bench.cpu.out");
    if (out == null || totalCpuNanos == 0) {
      return;
    }
    String line = benchmark.getBenchmark() + " " + totalOps + " " + totalCpuNanos + "\n";
    try {
      Files.writeString(
          Path.of(out),
          line,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
