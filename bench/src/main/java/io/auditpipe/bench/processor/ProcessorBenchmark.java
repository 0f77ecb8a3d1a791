package io.auditpipe.bench.processor;

import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.processor.AuditProcessor;
import io.auditpipe.processor.config.ProcessorConfig;
import io.auditpipe.testkit.kafka.KafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * End-to-end processor throughput (issue 6): an in-process KRaft broker, N pre-produced reference
 * order events (~1.2 KB each), the reference rules of the mapping benchmark, exactly-once v2. The
 * clock runs from the Streams instance reaching RUNNING until the application's committed input
 * offsets cover every event; the committed output is then checked to hold exactly N events. Prints
 * {@code RESULT processor eps=<n> eos=true} last.
 *
 * <p>Arguments: {@code [events] [input-partitions] [stream-threads]}, default {@code 200000 2 2}.
 */
public final class ProcessorBenchmark {

  private static final String INPUT = "orders";
  private static final String OUTPUT = "audit-events";
  private static final String DLQ = "audit-events-dlq";
  private static final String APP = "auditpipe-bench";
  private static final String EVENT_ID = "evt_01JGZ8Q4M2N7P5R6S9T0V1W2X3";

  private ProcessorBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    String rulesDocument = resource("/io/auditpipe/bench/mapping/order-rules.json");
    String event = resource("/io/auditpipe/bench/mapping/order-event.json").trim();
    if (!event.contains(EVENT_ID)) {
      throw new IllegalStateException("the reference event no longer carries " + EVENT_ID);
    }
    CompiledRules rules = RulesCompiler.compile(rulesDocument);
    Path work = Files.createTempDirectory("auditpipe-bench-processor");

    try (KafkaBroker kafka = KafkaBroker.start()) {
      kafka.createTopic(INPUT, partitions);
      kafka.createTopic(OUTPUT, partitions);
      kafka.createTopic(DLQ, 1);
      long bytes = produce(kafka.bootstrapServers(), event, events);
      System.out.printf(
          "commit.interval.ms=%s%n", System.getProperty("commit.interval.ms", "processor default"));
      System.out.printf(
          "produced %,d events (%,d bytes, avg %d B) to %d partition(s); %d stream thread(s)%n",
          events, bytes, bytes / events, partitions, threads);

      Files.writeString(work.resolve("rules.json"), rulesDocument);
      Map<String, String> props = new HashMap<>();
      props.put("bootstrap.servers", kafka.bootstrapServers());
      props.put("application.id", APP);
      props.put(ProcessorConfig.RULES_PATH_CONFIG, work.resolve("rules.json").toString());
      props.put(ProcessorConfig.OUTPUT_TOPIC_CONFIG, OUTPUT);
      props.put(ProcessorConfig.DLQ_TOPIC_CONFIG, DLQ);
      props.put("state.dir", work.resolve("state").toString());
      props.put("num.stream.threads", Integer.toString(threads));
      props.put("consumer.max.poll.records", "2000");
      props.put("consumer.fetch.max.bytes", "16777216");
      props.put("consumer.max.partition.fetch.bytes", "4194304");
      props.put("producer.linger.ms", "20");
      props.put("producer.batch.size", "524288");
      if (System.getProperty("commit.interval.ms") != null) {
        props.put("commit.interval.ms", System.getProperty("commit.interval.ms"));
      }
      ProcessorConfig config = new ProcessorConfig(props);
      if (!"exactly_once_v2".equals(config.streamsConfig().getString("processing.guarantee"))) {
        throw new IllegalStateException("the benchmark must run with exactly_once_v2");
      }

      try (AuditProcessor processor = AuditProcessor.create(config, rules);
          Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        long[] running = {0};
        long[] runningCpu = {0};
        processor
            .streams()
            .setStateListener(
                (now, before) -> {
                  if (now == KafkaStreams.State.RUNNING && running[0] == 0) {
                    running[0] = System.nanoTime();
                    runningCpu[0] = processCpuNanos();
                  }
                });
        long started = System.nanoTime();
        processor.start();
        while (committedInput(admin) < events) {
          Thread.sleep(50);
          if (Duration.ofNanos(System.nanoTime() - started).toMinutes() >= 10) {
            throw new IllegalStateException("not done after 10 minutes");
          }
        }
        long done = System.nanoTime();
        double cpuSeconds = (processCpuNanos() - runningCpu[0]) / 1e9;
        double seconds = (done - running[0]) / 1e9;
        long output = committedOutput(admin);
        System.out.printf(
            "processed %,d events in %.2f s after RUNNING (%.2f s incl. start-up); committed"
                + " output %,d records%n",
            events, seconds, (done - started) / 1e9, output);
        System.out.printf(
            "process CPU %.2f s over %.2f s wall (%.2f of %d cores; load average %.2f): %.0f"
                + " events per CPU-second, broker included%n",
            cpuSeconds,
            seconds,
            cpuSeconds / seconds,
            Runtime.getRuntime().availableProcessors(),
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage(),
            events / cpuSeconds);
        if (output != events) {
          throw new IllegalStateException(
              "expected " + events + " committed output records, found " + output);
        }
        System.out.printf("RESULT processor eps=%.0f eos=true%n", events / seconds);
      }
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long produce(String bootstrap, String event, int events) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "524288");
    long bytes = 0;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < events; i++) {
        String id = "evt_" + String.format("%024d", i);
        byte[] value = event.replace(EVENT_ID, id).getBytes(StandardCharsets.UTF_8);
        bytes += value.length;
        var unused =
            producer.send(new ProducerRecord<>(INPUT, id.getBytes(StandardCharsets.UTF_8), value));
      }
      producer.flush();
    }
    return bytes;
  }

  private static long committedInput(Admin admin) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(APP).partitionsToOffsetAndMetadata().get();
    long sum = 0;
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
      if (e.getKey().topic().equals(INPUT) && e.getValue() != null) {
        sum += e.getValue().offset();
      }
    }
    return sum;
  }

  /** Committed records in the output topic: the last stable offsets, minus transaction markers. */
  private static long committedOutput(Admin admin) throws Exception {

    int partitions =
        admin.describeTopics(List.of(OUTPUT)).allTopicNames().get().get(OUTPUT).partitions().size();
    long count = 0;
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                admin.describeCluster().nodes().get().iterator().next().host()
                    + ":"
                    + admin.describeCluster().nodes().get().iterator().next().port(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                "5000"),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          java.util.stream.IntStream.range(0, partitions)
              .mapToObj(p -> new TopicPartition(OUTPUT, p))
              .toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(500)).count();
        boolean atEnd = true;
        for (TopicPartition tp : tps) {
          atEnd &= consumer.position(tp) >= end.get(tp);
        }
        if (atEnd) {
          break;
        }
      }
    }
    return count;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ProcessorBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
