package io.auditpipe.cli.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SampleLinesTest {

  private static List<SampleLine> read(String text, EnvelopeMode mode) throws IOException {
    return read(text.getBytes(StandardCharsets.UTF_8), mode);
  }

  private static List<SampleLine> read(byte[] bytes, EnvelopeMode mode) throws IOException {
    return SampleLines.readAll(new ByteArrayInputStream(bytes), mode);
  }

  private static SampleRecord record(SampleLine line) {
    assertThat(line).isInstanceOf(SampleLine.Sample.class);
    return ((SampleLine.Sample) line).record();
  }

  private static String text(Optional<byte[]> bytes) {
    return new String(bytes.orElseThrow(), StandardCharsets.UTF_8);
  }

  @Test
  void anEnvelopeCarriesKeyHeadersTopicPartitionAndTimestamp() throws IOException {
    List<SampleLine> lines =
        read(
            "{\"key\": \"inv_42\", \"value\": {\"id\": \"e1\", \"n\": 1.10},"
                + " \"headers\": {\"trace\": \"t-1\", \"gone\": null}, \"topic\": \"outbox.event.invoice\","
                + " \"partition\": 2, \"timestamp\": \"2026-03-02T12:00:00Z\"}\n",
            EnvelopeMode.DETECT);

    SampleRecord r = record(lines.get(0));
    assertThat(text(r.value())).isEqualTo("{\"id\":\"e1\",\"n\":1.10}");
    assertThat(text(r.key().orElseThrow().bytes())).isEqualTo("inv_42");
    assertThat(r.headers())
        .containsExactly(
            new SampleHeader("trace", Optional.of("t-1")),
            new SampleHeader("gone", Optional.empty()));
    assertThat(r.topic()).contains("outbox.event.invoice");
    assertThat(r.partition()).hasValue(2);
    assertThat(r.timestamp()).contains(Instant.parse("2026-03-02T12:00:00Z"));
  }

  @Test
  void aKeyThatIsNotAStringIsItsJsonAndNullIsNoKey() throws IOException {
    List<SampleLine> lines =
        read(
            """
            {"key": {"id": 7}, "value": 1, "timestamp": 1772452800000}
            {"key": null, "value": null}
            """,
            EnvelopeMode.DETECT);

    assertThat(text(record(lines.get(0)).key().orElseThrow().bytes())).isEqualTo("{\"id\":7}");
    assertThat(record(lines.get(0)).timestamp()).contains(Instant.ofEpochMilli(1772452800000L));
    assertThat(record(lines.get(1)).key().orElseThrow().bytes()).isEmpty();
    assertThat(record(lines.get(1)).value()).as("a tombstone").isEmpty();
  }

  @Test
  void onlyObjectsWithValueAndEnvelopeMembersAreEnvelopes() throws IOException {
    List<SampleLine> lines =
        read(
            "{\"value\": 1, \"user\": \"u\"}\n{\"key\": \"k\"}\n[1]\nnot json\n",
            EnvelopeMode.DETECT);

    assertThat(lines).hasSize(4);
    assertThat(text(record(lines.get(0)).value())).isEqualTo("{\"value\": 1, \"user\": \"u\"}");
    assertThat(text(record(lines.get(1)).value())).isEqualTo("{\"key\": \"k\"}");
    assertThat(text(record(lines.get(3)).value())).isEqualTo("not json");
    assertThat(record(lines.get(0)).key()).isEmpty();
  }

  @Test
  void forcedEnvelopesReportTheLinesThatAreNotAndNoEnvelopeTakesLinesAsTheyAre()
      throws IOException {
    String text = "{\"value\": 1}\n{\"user\": \"u\"}\n";

    List<SampleLine> forced = read(text, EnvelopeMode.ALWAYS);
    List<SampleLine> never = read(text, EnvelopeMode.NEVER);

    assertThat(forced.get(1))
        .isEqualTo(
            new SampleLine.Invalid(
                2,
                "expected a record envelope: a JSON object with \"value\" and only the members"
                    + " key, value, headers, topic, partition, timestamp"));
    assertThat(text(record(never.get(0)).value())).isEqualTo("{\"value\": 1}");
  }

  @Test
  void wrongEnvelopeFieldsAreThatLinesProblem() throws IOException {
    List<SampleLine> lines =
        read(
            "{\"value\": 1, \"timestamp\": \"yesterday\", \"headers\": {\"n\": 1}}\n",
            EnvelopeMode.DETECT);

    assertThat(lines.get(0))
        .isEqualTo(
            new SampleLine.Invalid(
                1,
                "record envelope: \"headers\".\"n\": expected a string or null, found 1;"
                    + " \"timestamp\": expected epoch milliseconds or ISO-8601 text such as"
                    + " 2026-03-02T12:00:00Z, found \"yesterday\""));
  }

  @Test
  void aLineThatIsNotUtf8IsOnlyThatLinesProblem() throws IOException {
    byte[] bytes =
        "{\"a\": \"caf\u00e9\"}\n{\"a\": \"x\"}\n\n{\"b\": 2}\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);

    List<SampleLine> lines = read(bytes, EnvelopeMode.DETECT);

    assertThat(lines).extracting(SampleLine::line).containsExactly(1, 2, 4);
    byte[] first = record(lines.get(0)).value().orElseThrow();
    assertThat(SampleLines.utf8(first)).isEmpty();
    assertThat(SampleLines.firstInvalidByte(first)).isEqualTo(11);
    assertThat(text(record(lines.get(2)).value())).isEqualTo("{\"b\": 2}");
  }
}
