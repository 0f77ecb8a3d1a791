package io.auditpipe.processor.errors;

import io.auditpipe.core.avro.RecordCoordinates;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.DeadLetterCodec;
import io.auditpipe.core.deadletter.DeadLetterHeaders;
import io.auditpipe.core.deadletter.DeadLetterReasons;
import io.auditpipe.core.deadletter.FailureStage;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' processing and deserialization exception handler for auditpipe: every failed
 * record is resumed past and answered with one dead-letter record (KIP-1034) carrying the source
 * record's original key and value bytes, its headers, and core's dead-letter headers ({@link
 * DeadLetterCodec}). Streams sends it through the task's producer, so under exactly-once it commits
 * atomically with the source offset: a record yields its events or its dead letter, never both,
 * never neither.
 *
 * <p>The dead-letter topic is Streams' own {@value
 * StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG}.
 */
public final class DeadLetterHandler
    implements ProcessingExceptionHandler, DeserializationExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

  private String topic;

  @Override
  public void configure(Map<String, ?> configs) {
    Object value = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    if (value == null || value.toString().isBlank()) {
      throw new ConfigException(
          StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
          value,
          "expected the dead-letter topic name for " + DeadLetterHandler.class.getName());
    }
    topic = value.toString();
  }

  @Override
  public ProcessingExceptionHandler.Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    return ProcessingExceptionHandler.Response.resume(
        List.of(deadLetter(context, failureOf(exception))));
  }

  @Override
  public DeserializationExceptionHandler.Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    DeadLetter failure =
        DeadLetter.of(
            FailureStage.CONVERT,
            "",
            DeadLetterReasons.unreadable(exception.getClass().getSimpleName()));
    return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(context, failure)));
  }

  private ProducerRecord<byte[], byte[]> deadLetter(
      ErrorHandlerContext context, DeadLetter failure) {
    log.warn(
        "Dead-lettering record {}-{}@{} to {}: {}",
        context.topic(),
        context.partition(),
        context.offset(),
        topic,
        failure.describe());
    Headers headers = new RecordHeaders(context.headers().toArray());
    // Replace every auditpipe header, so a replayed dead letter keeps none of its old ones.
    DeadLetterHeaders.ALL.forEach(headers::remove);
    DeadLetterCodec.encode(
            failure, new RecordCoordinates(context.topic(), context.partition(), context.offset()))
        .forEach(headers::add);
    return new ProducerRecord<>(
        topic,
        null,
        context.timestamp() < 0 ? null : context.timestamp(),
        context.sourceRawKey(),
        context.sourceRawValue(),
        headers);
  }

  private static DeadLetter failureOf(Exception exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof DeadLetterException failure) {
        return failure.deadLetter();
      }
    }
    // A bug rather than bad data: dead-letter the record so one record cannot stop the
    // application. The exception's message may quote record data, so it is only logged at debug.
    log.error("Unexpected {} mapping a record; dead-lettering it", exception.getClass().getName());
    log.debug("Unexpected exception mapping a record", exception);
    return DeadLetter.of(
        FailureStage.MAP,
        "",
        DeadLetterReasons.unexpected(exception.getClass().getSimpleName(), "processor"));
  }
}
