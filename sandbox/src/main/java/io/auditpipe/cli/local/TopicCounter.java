package io.auditpipe.cli.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the committed records written to a topic from now on, on its own thread: how a local run
 * counts dead letters whoever wrote them (the processor transactionally, Connect's DLQ reporter).
 * Reads without a consumer group, so it disturbs nothing.
 */
final class TopicCounter implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final AtomicLong count = new AtomicLong();
  private volatile boolean running = true;

  TopicCounter(String bootstrapServers, String topic) {
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "auditpipe-local-count-" + topic,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    // Only what this run writes: an existing topic (--bootstrap-servers) may hold older records.
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    this.thread = new Thread(this::run, "auditpipe-local-count-" + topic);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  long count() {
    return count.get();
  }

  private void run() {
    try {
      while (running) {
        count.addAndGet(consumer.poll(Duration.ofMillis(500)).count());
      }
    } catch (WakeupException e) {
      // Closing.
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
