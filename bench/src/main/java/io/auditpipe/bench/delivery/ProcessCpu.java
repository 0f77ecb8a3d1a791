package io.auditpipe.bench.delivery;

import java.lang.management.ManagementFactory;

/** This JVM's CPU time (all threads: application, HTTP, GC, JIT), in nanoseconds. */
final class ProcessCpu {

  private ProcessCpu() {}

  static long nanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos()).orElse(-1L);
  }
}
