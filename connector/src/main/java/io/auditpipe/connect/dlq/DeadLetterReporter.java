package io.auditpipe.connect.dlq;

import io.auditpipe.connect.delivery.OriginalCoordinates;
import io.auditpipe.core.avro.RecordCoordinates;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.DeadLetterCodec;
import io.auditpipe.core.deadletter.DeadLetterHeaders;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Sends failed records to Connect's dead-letter queue through the {@link ErrantRecordReporter},
 * with core's dead-letter headers ({@link DeadLetterCodec}), the record's original coordinates
 * included. Must be called on the task thread (Connect's reporter is not thread-safe).
 *
 * <p>Connect writes the <em>original consumer record</em> (its exact key and value bytes and its
 * headers) to the DLQ when handed the record it gave the task, and ignores headers added to the
 * {@link SinkRecord}. To keep the original bytes and still add headers, the headers are added to
 * that consumer record, which the worker exposes as {@code originalRecord()}; Connect copies its
 * headers into the DLQ record. Where a runtime does not expose it, the record is reported with the
 * headers added to a copy, and Connect re-serializes it with the task's converters.
 */
public final class DeadLetterReporter {

  private final Optional<ErrantRecordReporter> reporter;

  public DeadLetterReporter(Optional<ErrantRecordReporter> reporter) {
    this.reporter = reporter;
  }

  /**
   * Reports a record.
   *
   * @return Connect's future of the DLQ write
   * @throws ConnectException if the worker has no reporter (a pre-2.6 worker), or Connect's error
   *     tolerance is exhausted
   */
  public Future<Void> report(SinkRecord record, DeadLetter deadLetter) {
    if (reporter.isEmpty()) {
      throw new ConnectException(
          "cannot dead-letter "
              + coordinates(record)
              + " ("
              + deadLetter.describe()
              + "): the worker provides no errant record reporter");
    }
    Map<String, byte[]> headers = DeadLetterCodec.encode(deadLetter, originalCoordinates(record));
    DeadLetterException error = new DeadLetterException(deadLetter);
    Optional<ConsumerRecord<?, ?>> original = originalRecord(record);
    if (original.isPresent()) {
      org.apache.kafka.common.header.Headers kafkaHeaders = original.get().headers();
      // Replace every auditpipe header, so a replayed dead letter keeps none of its old ones.
      DeadLetterHeaders.ALL.forEach(kafkaHeaders::remove);
      headers.forEach(kafkaHeaders::add);
      return orDone(reporter.get().report(record, error));
    }
    Headers copied = new ConnectHeaders();
    record.headers().forEach(copied::add);
    DeadLetterHeaders.ALL.forEach(copied::remove);
    headers.forEach(
        (name, value) -> copied.addString(name, new String(value, StandardCharsets.UTF_8)));
    // newRecord keeps the offset and the original coordinates (KIP-793) the DLQ reports.
    SinkRecord withHeaders =
        record.newRecord(
            record.topic(),
            record.kafkaPartition(),
            record.keySchema(),
            record.key(),
            record.valueSchema(),
            record.value(),
            record.timestamp(),
            copied);
    return orDone(reporter.get().report(withHeaders, error));
  }

  /** The coordinates the consumer read a record at, for messages. */
  public static String coordinates(SinkRecord record) {
    return OriginalCoordinates.describe(record);
  }

  /**
   * Where the record was consumed from (KIP-793): a topic-renaming transform changes {@code
   * topic()}, not the original coordinates.
   */
  static RecordCoordinates originalCoordinates(SinkRecord record) {
    Integer partition = record.originalKafkaPartition();
    return new RecordCoordinates(
        record.originalTopic(), partition == null ? 0 : partition, record.originalKafkaOffset());
  }

  private static Future<Void> orDone(Future<Void> future) {
    return future == null ? CompletableFuture.completedFuture(null) : future;
  }

  /**
   * The consumer record behind a record the worker gave the task: {@code
   * InternalSinkRecord.context().original()} on Kafka 4.x workers, {@code originalRecord()} on
   * older ones.
   */
  private static Optional<ConsumerRecord<?, ?>> originalRecord(SinkRecord record) {
    Object original = call(record, "originalRecord");
    if (original == null) {
      Object context = call(record, "context");
      original = context == null ? null : call(context, "original");
    }
    return original instanceof ConsumerRecord<?, ?> consumerRecord
        ? Optional.of(consumerRecord)
        : Optional.empty();
  }

  /** The result of a public no-argument method, or null when there is none. */
  private static Object call(Object target, String method) {
    try {
      Method m = target.getClass().getMethod(method);
      return m.invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
