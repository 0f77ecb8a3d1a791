package io.auditpipe.cli.ops;

import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.DeadLetterCodec;
import io.auditpipe.core.deadletter.DeadLetterHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Renders a dead-lettered record for people: where it is, why it failed (read through core's
 * dead-letter contract, {@link DeadLetterCodec}), the record it came from, Connect's {@code
 * __connect.errors.*} headers, any other headers, and its key and value as text.
 */
final class DeadLetterFormatter {

  private static final String AUDITPIPE_ERROR = "auditpipe.error.";
  private static final String AUDITPIPE_WORKOS = "auditpipe.workos.";
  private static final String CONNECT_ERROR = "__connect.errors.";
  private static final String FORMAT = "  %-28s %s";

  /** Connect's headers in the order people read them; other headers follow as they come. */
  private static final List<String> CONNECT_ORDER =
      List.of(
          "__connect.errors.topic",
          "__connect.errors.partition",
          "__connect.errors.offset",
          "__connect.errors.connector.name",
          "__connect.errors.task.id",
          "__connect.errors.stage",
          "__connect.errors.class.name",
          "__connect.errors.exception.class.name",
          "__connect.errors.exception.message");

  private final int maxValueChars;

  DeadLetterFormatter(int maxValueChars) {
    this.maxValueChars = maxValueChars;
  }

  List<String> format(ConsumerRecord<byte[], byte[]> record) {
    List<String> lines = new ArrayList<>();
    lines.add(
        record.topic()
            + "-"
            + record.partition()
            + "@"
            + record.offset()
            + "  "
            + Instant.ofEpochMilli(record.timestamp()));
    // The last value of a name wins, as in the rules' view of headers.
    Map<String, byte[]> raw = new LinkedHashMap<>();
    for (Header h : record.headers()) {
      raw.put(h.key(), h.value() == null ? new byte[0] : h.value());
    }
    Optional<DeadLetterCodec.Decoded> decoded = DeadLetterCodec.decode(raw);
    Map<String, String> rest = new LinkedHashMap<>();
    if (decoded.isPresent()) {
      describe(decoded.get(), lines);
      raw.keySet().removeAll(DeadLetterHeaders.ALL);
    } else {
      // Not this version's contract (no stage, or one it does not know): show the headers as
      // they are, auditpipe's first.
      DeadLetterHeaders.ALL.forEach(
          name -> {
            if (raw.containsKey(name)) {
              rest.put(name, text(raw.get(name), Integer.MAX_VALUE));
            }
          });
    }
    CONNECT_ORDER.forEach(
        name -> {
          if (raw.containsKey(name)) {
            rest.put(name, text(raw.get(name), Integer.MAX_VALUE));
          }
        });
    raw.forEach((name, value) -> rest.putIfAbsent(name, text(value, Integer.MAX_VALUE)));
    rest.forEach(
        (name, value) -> {
          if (name.equals("__connect.errors.exception.stacktrace")) {
            String first = value.lines().findFirst().orElse("");
            lines.add(String.format(FORMAT, label(name), first + " …"));
          } else {
            lines.add(String.format(FORMAT, label(name), value));
          }
        });
    lines.add(String.format(FORMAT, "key", bytes(record.key())));
    lines.add(String.format(FORMAT, "value", bytes(record.value())));
    return lines;
  }

  private static void describe(DeadLetterCodec.Decoded decoded, List<String> lines) {
    DeadLetter d = decoded.deadLetter();
    lines.add(String.format(FORMAT, "stage", d.stage().externalName()));
    if (!d.rule().isEmpty()) {
      lines.add(String.format(FORMAT, "rule", oneLine(d.rule())));
    }
    if (!d.reason().isEmpty()) {
      lines.add(String.format(FORMAT, "reason", oneLine(d.reason())));
    }
    d.status().ifPresent(s -> lines.add(String.format(FORMAT, "workos status", s)));
    d.code().ifPresent(c -> lines.add(String.format(FORMAT, "workos code", oneLine(c))));
    d.requestId()
        .ifPresent(id -> lines.add(String.format(FORMAT, "workos request_id", oneLine(id))));
    decoded
        .source()
        .ifPresent(s -> lines.add(String.format(FORMAT, "source", oneLine(s.toString()))));
  }

  private static String label(String header) {
    if (header.startsWith(AUDITPIPE_ERROR)) {
      return header.substring(AUDITPIPE_ERROR.length());
    }
    if (header.startsWith(AUDITPIPE_WORKOS)) {
      return "workos " + header.substring(AUDITPIPE_WORKOS.length());
    }
    if (header.startsWith(CONNECT_ERROR)) {
      return "connect " + header.substring(CONNECT_ERROR.length());
    }
    return header;
  }

  private static String oneLine(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n");
  }

  private String bytes(byte[] value) {
    if (value == null) {
      return "(null)";
    }
    return text(value, maxValueChars) + "  (" + value.length + " bytes)";
  }

  private static String text(byte[] value, int max) {
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString();
    } catch (CharacterCodingException e) {
      String hex = HexFormat.of().formatHex(value, 0, Math.min(value.length, max / 2));
      return "hex " + hex + (value.length > max / 2 ? "…" : "");
    }
    s = s.replace("\r", "\\r").replace("\n", "\\n");
    return s.length() > max ? s.substring(0, max) + "…" : s;
  }
}
