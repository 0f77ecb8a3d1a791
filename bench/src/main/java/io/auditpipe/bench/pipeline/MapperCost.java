package io.auditpipe.bench.pipeline;

import io.auditpipe.connect.config.NullValueBehavior;
import io.auditpipe.connect.convert.RecordValueConverter;
import io.auditpipe.connect.mapping.DomainRecordMapper;
import io.auditpipe.connect.mapping.RecordDisposition;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.OrganizationResolver;
import io.auditpipe.core.rules.RecordContext;
import io.auditpipe.core.rules.RulesCompiler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The connector's mapping cost per record on one thread, for the pipeline benchmark's records and
 * rules: {@code streamed} is {@link DomainRecordMapper} as the task runs it (one pass over the
 * bytes), {@code tree} the former path (the rules' projected tree, then the rules over it). Prints
 * {@code RESULT mapper_cost streamed_us=… tree_us=…}, CPU µs per record, best of the rounds.
 */
public final class MapperCost {

  private static final int RECORDS = 20_000;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    CompiledRules rules =
        RulesCompiler.compile(PipelineBenchmark.RULES, OrganizationResolver.none());
    DomainRecordMapper mapper =
        new DomainRecordMapper(rules, Optional.empty(), NullValueBehavior.SKIP);
    RecordValueConverter converter = new RecordValueConverter(rules::readValue);
    long now = System.currentTimeMillis();
    SinkRecord[] records = new SinkRecord[RECORDS];
    for (int i = 0; i < RECORDS; i++) {
      records[i] =
          new SinkRecord(
              PipelineBenchmark.TOPIC,
              i % 3,
              null,
              null,
              Schema.OPTIONAL_BYTES_SCHEMA,
              PipelineBenchmark.event("b-", i, now),
              i,
              now,
              org.apache.kafka.common.record.TimestampType.CREATE_TIME);
    }
    double streamed = Double.MAX_VALUE;
    double tree = Double.MAX_VALUE;
    long sink = 0;
    for (int round = 0; round < rounds; round++) {
      long t0 = cpuNanos();
      for (SinkRecord r : records) {
        if (mapper.map(r) instanceof RecordDisposition.Deliver d) {
          sink += d.events().size();
        }
      }
      long t1 = cpuNanos();
      for (SinkRecord r : records) {
        RecordContext context =
            new RecordContext(
                r.topic(),
                r.kafkaPartition(),
                r.kafkaOffset(),
                Optional.of(Instant.ofEpochMilli(r.timestamp())),
                converter.key(r.keySchema(), r.key()),
                converter.headers(r));
        if (rules.map(converter.value(r.valueSchema(), r.value()), context)
            instanceof MappingOutcome.Mapped m) {
          sink += m.events().size();
        }
      }
      long t2 = cpuNanos();
      streamed = Math.min(streamed, (t1 - t0) / 1e3 / RECORDS);
      tree = Math.min(tree, (t2 - t1) / 1e3 / RECORDS);
    }
    if (sink != 2L * RECORDS * rounds) {
      throw new IllegalStateException(
          "expected " + 2L * RECORDS * rounds + " events mapped, found " + sink);
    }
    System.out.printf(
        Locale.ROOT, "RESULT mapper_cost streamed_us=%.2f tree_us=%.2f%n", streamed, tree);
  }

  private static long cpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.getCurrentThreadCpuTime();
  }

  private MapperCost() {}
}
