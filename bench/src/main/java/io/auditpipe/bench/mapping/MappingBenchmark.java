package io.auditpipe.bench.mapping;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bytes in to WorkOS request bytes out for the reference order event, single thread: auditpipe's
 * rules fast path against the same mapping in JSONata, in JSLT and hand-written with Jackson. One
 * operation is one event, so ops/s is events/s ({@link CpuMeter} also counts them per CPU-second).
 * Setup fails unless all four produce the same bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 5)
@Measurement(iterations = 5, time = 5)
public class MappingBenchmark {

  private byte[] event;
  private OrderEventMapper fast;
  private OrderEventMapper jsonata;
  private OrderEventMapper jslt;
  private OrderEventMapper handwritten;

  @Setup(Level.Trial)
  public void setUp() {
    event = ReferenceWorkload.orderEvent();
    List<OrderEventMapper> mappers = ReferenceWorkload.mappers();
    ReferenceWorkload.requireSameOutput(mappers, event);
    fast = mappers.get(0);
    jsonata = mappers.get(1);
    jslt = mappers.get(2);
    handwritten = mappers.get(3);
  }

  @Benchmark
  public byte[] fast(CpuMeter cpu) {
    cpu.ops++;
    return fast.map(event);
  }

  @Benchmark
  public byte[] jsonata(CpuMeter cpu) {
    cpu.ops++;
    return jsonata.map(event);
  }

  @Benchmark
  public byte[] jslt(CpuMeter cpu) {
    cpu.ops++;
    return jslt.map(event);
  }

  @Benchmark
  public byte[] handwritten(CpuMeter cpu) {
    cpu.ops++;
    return handwritten.map(event);
  }
}
