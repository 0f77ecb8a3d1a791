package io.auditpipe.cli.samples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.auditpipe.core.json.JsonProblems;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads a samples file line by line as bytes, so that a line that is not UTF-8 is that line's
 * problem and not the file's, and turns each non-blank line into a {@link SampleLine}.
 *
 * <p>A line is a record envelope when it is a JSON object that has a {@code value} member and whose
 * members are all among {@code key}, {@code value}, {@code headers}, {@code topic}, {@code
 * partition} and {@code timestamp} ({@link EnvelopeMode#DETECT}); otherwise the line is the record
 * value, byte for byte. In an envelope:
 *
 * <ul>
 *   <li>{@code value}: the value as JSON bytes; {@code null} is a tombstone;
 *   <li>{@code key}: a JSON string is the key text, any other JSON value the key as JSON bytes,
 *       {@code null} no key — read by the pipeline through {@code RecordKeys} as any key;
 *   <li>{@code headers}: an object of header name to string or {@code null};
 *   <li>{@code topic}: the topic, instead of the command's; {@code partition}: a partition number;
 *   <li>{@code timestamp}: epoch milliseconds or ISO-8601 text with an offset.
 * </ul>
 */
public final class SampleLines implements Iterator<SampleLine> {

  /** The members an envelope may have. */
  public static final Set<String> ENVELOPE_MEMBERS =
      Set.of("key", "value", "headers", "topic", "partition", "timestamp");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private final InputStream in;
  private final EnvelopeMode mode;
  private int lineNumber;
  private SampleLine next;
  private boolean ended;

  private SampleLines(InputStream in, EnvelopeMode mode) {
    this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in);
    this.mode = mode;
  }

  /**
   * The non-blank lines of {@code in}, read lazily (an I/O error surfaces as {@link
   * UncheckedIOException}); the caller closes {@code in}.
   */
  public static SampleLines of(InputStream in, EnvelopeMode mode) {
    return new SampleLines(in, mode);
  }

  /** Every non-blank line of {@code in}. */
  public static List<SampleLine> readAll(InputStream in, EnvelopeMode mode) throws IOException {
    SampleLines lines = of(in, mode);
    List<SampleLine> all = new ArrayList<>();
    try {
      lines.forEachRemaining(all::add);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return all;
  }

  @Override
  public boolean hasNext() {
    while (next == null && !ended) {
      byte[] bytes = readLine();
      if (bytes == null) {
        ended = true;
      } else if (!isBlank(bytes)) {
        next = parse(lineNumber, bytes, mode);
      }
    }
    return next != null;
  }

  @Override
  public SampleLine next() {
    if (!hasNext()) {
      throw new java.util.NoSuchElementException();
    }
    SampleLine line = next;
    next = null;
    return line;
  }

  /** The line number of the last line read, blank ones counted. */
  public int lineNumber() {
    return lineNumber;
  }

  /** One line's bytes without its terminator, or null at the end. */
  private byte[] readLine() {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    try {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      while (b >= 0 && b != '\n') {
        line.write(b);
        b = in.read();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    lineNumber++;
    byte[] bytes = line.toByteArray();
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') {
      return java.util.Arrays.copyOf(bytes, length - 1);
    }
    return bytes;
  }

  /** What line {@code number} holding {@code bytes} (not blank) is. */
  public static SampleLine parse(int number, byte[] bytes, EnvelopeMode mode) {
    if (mode == EnvelopeMode.NEVER) {
      return new SampleLine.Sample(SampleRecord.plain(number, bytes));
    }
    Optional<String> text = utf8(bytes);
    if (text.isEmpty()) {
      return mode == EnvelopeMode.ALWAYS
          ? new SampleLine.Invalid(
              number, "expected a record envelope, found text that is not UTF-8")
          : new SampleLine.Sample(SampleRecord.plain(number, bytes));
    }
    JsonNode node = null;
    String notJson = null;
    if (mode == EnvelopeMode.ALWAYS || text.get().stripLeading().startsWith("{")) {
      try {
        node = MAPPER.readTree(text.get());
      } catch (JsonProcessingException e) {
        notJson = JsonProblems.describe(e);
      }
    }
    if (node != null && isEnvelope(node)) {
      return envelope(number, node);
    }
    if (mode == EnvelopeMode.ALWAYS) {
      return new SampleLine.Invalid(
          number,
          notJson != null
              ? "expected a record envelope, found text that is not JSON: " + notJson
              : "expected a record envelope: a JSON object with \"value\" and only the members"
                  + " key, value, headers, topic, partition, timestamp");
    }
    return new SampleLine.Sample(SampleRecord.plain(number, bytes));
  }

  private static boolean isEnvelope(JsonNode node) {
    if (!node.isObject() || !node.has("value")) {
      return false;
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      if (!ENVELOPE_MEMBERS.contains(names.next())) {
        return false;
      }
    }
    return true;
  }

  private static SampleLine envelope(int number, JsonNode node) {
    List<String> problems = new ArrayList<>();
    JsonNode valueNode = node.get("value");
    Optional<byte[]> value = valueNode.isNull() ? Optional.empty() : Optional.of(bytes(valueNode));
    Optional<SampleKey> key = Optional.empty();
    JsonNode keyNode = node.get("key");
    if (keyNode != null) {
      key =
          Optional.of(
              new SampleKey(
                  keyNode.isNull()
                      ? Optional.empty()
                      : Optional.of(
                          keyNode.isTextual()
                              ? keyNode.textValue().getBytes(StandardCharsets.UTF_8)
                              : bytes(keyNode))));
    }
    List<SampleHeader> headers = new ArrayList<>();
    JsonNode headersNode = node.get("headers");
    if (headersNode != null && !headersNode.isNull()) {
      if (!headersNode.isObject()) {
        problems.add(
            "\"headers\": expected an object of name to string, found " + kind(headersNode));
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = headersNode.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> header = it.next();
          JsonNode v = header.getValue();
          if (v.isTextual()) {
            headers.add(new SampleHeader(header.getKey(), Optional.of(v.textValue())));
          } else if (v.isNull()) {
            headers.add(new SampleHeader(header.getKey(), Optional.empty()));
          } else {
            problems.add(
                "\"headers\".\""
                    + header.getKey()
                    + "\": expected a string or null, found "
                    + kind(v));
          }
        }
      }
    }
    Optional<String> topic = Optional.empty();
    JsonNode topicNode = node.get("topic");
    if (topicNode != null && !topicNode.isNull()) {
      if (topicNode.isTextual() && !topicNode.textValue().isBlank()) {
        topic = Optional.of(topicNode.textValue());
      } else {
        problems.add("\"topic\": expected a topic name, found " + kind(topicNode));
      }
    }
    OptionalInt partition = OptionalInt.empty();
    JsonNode partitionNode = node.get("partition");
    if (partitionNode != null && !partitionNode.isNull()) {
      if (partitionNode.canConvertToInt()
          && partitionNode.isIntegralNumber()
          && partitionNode.intValue() >= 0) {
        partition = OptionalInt.of(partitionNode.intValue());
      } else {
        problems.add(
            "\"partition\": expected a partition number (0 or more), found " + kind(partitionNode));
      }
    }
    Optional<Instant> timestamp = Optional.empty();
    JsonNode timestampNode = node.get("timestamp");
    if (timestampNode != null && !timestampNode.isNull()) {
      timestamp = timestamp(timestampNode);
      if (timestamp.isEmpty()) {
        problems.add(
            "\"timestamp\": expected epoch milliseconds or ISO-8601 text such as"
                + " 2026-03-02T12:00:00Z, found "
                + kind(timestampNode));
      }
    }
    if (!problems.isEmpty()) {
      return new SampleLine.Invalid(number, "record envelope: " + String.join("; ", problems));
    }
    return new SampleLine.Sample(
        new SampleRecord(number, value, key, headers, topic, partition, timestamp));
  }

  private static Optional<Instant> timestamp(JsonNode node) {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return Optional.of(Instant.ofEpochMilli(node.longValue()));
    }
    if (node.isTextual()) {
      try {
        return Optional.of(OffsetDateTime.parse(node.textValue()).toInstant());
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static String kind(JsonNode node) {
    String text = node.toString();
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** {@code bytes} as text when they are UTF-8. */
  public static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** Where the first byte that is not UTF-8 is (1-based), for a report; 0 when all are. */
  public static int firstInvalidByte(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CoderResult result =
        StandardCharsets.UTF_8.newDecoder().decode(in, CharBuffer.allocate(bytes.length + 1), true);
    return result.isError() ? in.position() + 1 : 0;
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
