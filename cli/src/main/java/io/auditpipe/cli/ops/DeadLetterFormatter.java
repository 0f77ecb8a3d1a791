package io.auditpipe.cli.ops;

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
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Renders a dead-lettered record for people: where it is, why it failed (auditpipe's {@code
 * auditpipe.error.*} and {@code auditpipe.workos.*} headers and Connect's {@code
 * __connect.errors.*} headers, best known first), where it came from, and its key and value as
 * text.
 */
final class DeadLetterFormatter {

  private static final String AUDITPIPE_ERROR = "auditpipe.error.";
  private static final String AUDITPIPE_WORKOS = "auditpipe.workos.";
  private static final String CONNECT_ERROR = "__connect.errors.";

  /** The processor's headers naming the record that failed. */
  private static final Set<String> SOURCE_COORDINATES =
      Set.of("auditpipe.error.topic", "auditpipe.error.partition", "auditpipe.error.offset");

  /** Header suffixes in the order people read them; the rest follow as they come. */
  private static final List<String> ORDER =
      List.of(
          "auditpipe.error.stage",
          "auditpipe.error.rule",
          "auditpipe.error.reason",
          "auditpipe.workos.status",
          "auditpipe.workos.code",
          "auditpipe.workos.message",
          "auditpipe.workos.request_id",
          "auditpipe.error.topic",
          "auditpipe.error.partition",
          "auditpipe.error.offset",
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
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : record.headers()) {
      // The last value wins, as in the rules' view of headers.
      headers.put(h.key(), h.value() == null ? "" : text(h.value(), Integer.MAX_VALUE));
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    ORDER.forEach(
        k -> {
          if (headers.containsKey(k)) {
            ordered.put(k, headers.get(k));
          }
        });
    headers.forEach(ordered::putIfAbsent);
    ordered.forEach(
        (k, v) -> {
          if (k.equals("__connect.errors.exception.stacktrace")) {
            String first = v.lines().findFirst().orElse("");
            lines.add(String.format("  %-28s %s", label(k), first + " …"));
          } else {
            lines.add(String.format("  %-28s %s", label(k), v));
          }
        });
    lines.add(String.format("  %-28s %s", "key", bytes(record.key())));
    lines.add(String.format("  %-28s %s", "value", bytes(record.value())));
    return lines;
  }

  private static String label(String header) {
    if (SOURCE_COORDINATES.contains(header)) {
      return "source " + header.substring(AUDITPIPE_ERROR.length());
    }
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
