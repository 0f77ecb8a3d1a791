package io.auditpipe.connect.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.DeadLetterHeaders;
import io.auditpipe.core.deadletter.FailureStage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.runtime.InternalSinkRecord;
import org.apache.kafka.connect.runtime.errors.ProcessingContext;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class DeadLetterReporterTest {

  private final List<SinkRecord> reported = new ArrayList<>();
  private final ErrantRecordReporter capture =
      (record, error) -> {
        reported.add(record);
        return CompletableFuture.completedFuture(null);
      };
  private final DeadLetter deadLetter = DeadLetter.of(FailureStage.MAP, "order-paid", "why");

  /**
   * The worker writes a record it gave the task as the consumer record it came from (original
   * bytes, no header converter involved); any other record is re-serialized with the task's
   * converters, which for a ByteArrayConverter header converter fails the task on the auditpipe
   * text headers.
   */
  @Test
  void reportsTheWorkersOwnRecordWithTheHeadersOnItsConsumerRecord() {
    ConsumerRecord<byte[], byte[]> consumed =
        new ConsumerRecord<>("orders", 2, 41L, utf8("k"), utf8("{not json"));
    consumed.headers().add("user-agent", utf8("curl/8"));
    SinkRecord record =
        new InternalSinkRecord(
            new ProcessingContext<>(consumed),
            new SinkRecord("orders", 2, Schema.STRING_SCHEMA, "k", null, utf8("{not json"), 41L));

    assertThat(new DeadLetterReporter(Optional.of(capture)).report(record, deadLetter)).isDone();

    assertThat(reported).containsExactly(record);
    assertThat(text(consumed.headers().lastHeader(DeadLetterHeaders.STAGE))).isEqualTo("map");
    assertThat(text(consumed.headers().lastHeader(DeadLetterHeaders.RULE))).isEqualTo("order-paid");
    assertThat(text(consumed.headers().lastHeader("user-agent"))).isEqualTo("curl/8");
    assertThat(text(consumed.headers().lastHeader(DeadLetterHeaders.TOPIC))).isEqualTo("orders");
    assertThat(text(consumed.headers().lastHeader(DeadLetterHeaders.PARTITION))).isEqualTo("2");
    assertThat(text(consumed.headers().lastHeader(DeadLetterHeaders.OFFSET))).isEqualTo("41");
  }

  @Test
  void namesTheOriginalCoordinatesAndDropsTheHeadersOfAnEarlierDeadLetter() {
    ConsumerRecord<byte[], byte[]> consumed =
        new ConsumerRecord<>("orders", 2, 41L, utf8("k"), utf8("{not json"));
    // A dead letter replayed to its source topic still carries the headers of its first failure.
    consumed.headers().add(DeadLetterHeaders.RULE, utf8("old-rule"));
    consumed.headers().add(DeadLetterHeaders.WORKOS_STATUS, utf8("404"));
    SinkRecord record =
        new InternalSinkRecord(
            new ProcessingContext<>(consumed),
            new SinkRecord("orders", 2, Schema.STRING_SCHEMA, "k", null, utf8("{not json"), 41L));
    // A topic-renaming transform (RegexRouter) changes the topic, not the original coordinates.
    SinkRecord renamed =
        record.newRecord("audit-orders", 2, null, "k", null, utf8("{not json"), record.timestamp());

    assertThat(
            new DeadLetterReporter(Optional.of(capture))
                .report(renamed, DeadLetter.of(FailureStage.CONVERT, "", "why")))
        .isDone();

    assertThat(text(consumed.headers().lastHeader(DeadLetterHeaders.TOPIC))).isEqualTo("orders");
    assertThat(consumed.headers().lastHeader(DeadLetterHeaders.RULE)).isNull();
    assertThat(consumed.headers().lastHeader(DeadLetterHeaders.WORKOS_STATUS)).isNull();
  }

  @Test
  void reportsACopyWithTheHeadersWhenThereIsNoConsumerRecord() {
    SinkRecord record = new SinkRecord("orders", 0, null, null, null, utf8("{}"), 7L);

    assertThat(new DeadLetterReporter(Optional.of(capture)).report(record, deadLetter)).isDone();

    assertThat(reported).singleElement().isNotSameAs(record);
    assertThat(reported.get(0).headers().lastWithName(DeadLetterHeaders.STAGE).value())
        .isEqualTo("map");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Header header) {
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
