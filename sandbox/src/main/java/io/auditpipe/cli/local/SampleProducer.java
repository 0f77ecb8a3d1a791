package io.auditpipe.cli.local;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces {@link SampleEvents} to a topic at a steady rate on its own thread until stopped or a
 * record budget is spent, counting the records the broker acknowledged.
 */
final class SampleProducer implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final SampleEvents events;
  private final String topic;
  private final double perSecond;
  private final long limit;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param limit stop after this many records ({@code Long.MAX_VALUE}: until stopped)
   */
  SampleProducer(
      String bootstrapServers, String topic, SampleEvents events, double perSecond, long limit) {
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG,
                "auditpipe-local-samples",
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.events = events;
    this.topic = topic;
    this.perSecond = perSecond;
    this.limit = limit;
    this.thread = new Thread(this::run, "auditpipe-local-samples");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Records the broker acknowledged. */
  long produced() {
    return acked.get();
  }

  /** Records the broker refused (should stay 0). */
  long failed() {
    return failed.get();
  }

  /** Whether it stopped producing (budget spent or stopped) and every send has an answer. */
  boolean finished() {
    return !thread.isAlive() && acked.get() + failed.get() == sent.get();
  }

  /** Stops producing; records already sent are still acknowledged. */
  void stop() {
    running = false;
  }

  private void run() {
    long intervalNanos = (long) (1_000_000_000L / perSecond);
    long next = System.nanoTime();
    for (long sequence = 0; running && sequence < limit; sequence++) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      next += intervalNanos;
      sent.incrementAndGet();
      var unused =
          producer.send(
              events.record(sequence, topic),
              (metadata, error) -> (error == null ? acked : failed).incrementAndGet());
    }
    producer.flush();
  }

  @Override
  public void close() {
    stop();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
  }
}
