package io.auditpipe.connect.dlq;

import static org.assertj.core.api.Assertions.assertThat;

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

    new DeadLetterReporter(Optional.of(capture)).report(record, deadLetter);

    assertThat(reported).containsExactly(record);
    assertThat(text(consumed.headers().lastHeader(ErrorHeaders.STAGE))).isEqualTo("map");
    assertThat(text(consumed.headers().lastHeader(ErrorHeaders.RULE))).isEqualTo("order-paid");
    assertThat(text(consumed.headers().lastHeader("user-agent"))).isEqualTo("curl/8");
  }

  @Test
  void reportsACopyWithTheHeadersWhenThereIsNoConsumerRecord() {
    SinkRecord record = new SinkRecord("orders", 0, null, null, null, utf8("{}"), 7L);

    new DeadLetterReporter(Optional.of(capture)).report(record, deadLetter);

    assertThat(reported).singleElement().isNotSameAs(record);
    assertThat(reported.get(0).headers().lastWithName(ErrorHeaders.STAGE).value()).isEqualTo("map");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Header header) {
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
