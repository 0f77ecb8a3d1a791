package io.auditpipe.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.core.avro.RecordCoordinates;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.DeadLetterCodec;
import io.auditpipe.core.deadletter.FailureStage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterFormatterTest {

  @Test
  void readsTheContractFirstThenConnectsHeadersThenTheRest() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("user-agent", utf8("curl/8"));
    headers.add("__connect.errors.offset", utf8("26"));
    headers.add("__connect.errors.topic", utf8("orders"));
    DeadLetterCodec.encode(
            new DeadLetter(
                FailureStage.DELIVER,
                "order-paid",
                "WorkOS rejected the event: line one\nline two",
                OptionalInt.of(400),
                Optional.of("invalid_audit_log"),
                Optional.of("req_1")),
            new RecordCoordinates("orders", 0, 26))
        .forEach(headers::add);

    List<String> lines = new DeadLetterFormatter(100).format(record(headers));

    assertThat(lines.subList(1, lines.size()))
        .map(String::strip)
        .map(l -> l.replaceAll("\\s{2,}", " | "))
        .containsExactly(
            "stage | deliver",
            "rule | order-paid",
            "reason | WorkOS rejected the event: line one\\nline two",
            "workos status | 400",
            "workos code | invalid_audit_log",
            "workos request_id | req_1",
            "source | orders-0@26",
            "connect topic | orders",
            "connect offset | 26",
            "user-agent | curl/8",
            "key | k | (1 bytes)",
            "value | {} | (2 bytes)");
  }

  @Test
  void showsHeadersAsTheyAreWhenTheStageIsUnknown() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("auditpipe.error.reason", utf8("why"));
    headers.add("auditpipe.error.stage", utf8("teleport"));

    List<String> lines = new DeadLetterFormatter(100).format(record(headers));

    assertThat(lines.get(1)).matches("\\s+stage\\s+teleport");
    assertThat(lines.get(2)).matches("\\s+reason\\s+why");
  }

  private static ConsumerRecord<byte[], byte[]> record(RecordHeaders headers) {
    return new ConsumerRecord<>(
        "orders.dlq",
        0,
        3L,
        0L,
        TimestampType.CREATE_TIME,
        1,
        2,
        utf8("k"),
        utf8("{}"),
        headers,
        Optional.empty());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
