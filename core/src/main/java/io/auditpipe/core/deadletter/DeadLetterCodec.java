package io.auditpipe.core.deadletter;

import io.auditpipe.core.avro.RecordCoordinates;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Writes a {@link DeadLetter} and the coordinates of the record that failed as the {@link
 * DeadLetterHeaders} (UTF-8 bytes), and reads them back. The connector and the processor write
 * through {@link #encode}, so the same failure carries byte-identical headers on both paths; {@code
 * auditpipe dlq inspect} reads through {@link #decode}.
 */
public final class DeadLetterCodec {

  /** Reasons are cut to this many characters, the marker included, so a header stays bounded. */
  public static final int MAX_REASON_LENGTH = 2_000;

  /** Ends a reason that was cut. */
  public static final String TRUNCATION_MARKER = "…";

  /** A dead letter read back from headers. */
  public record Decoded(DeadLetter deadLetter, Optional<RecordCoordinates> source) {}

  private DeadLetterCodec() {}

  /** The headers for a dead letter, by name, in {@link DeadLetterHeaders#ALL}'s order. */
  public static Map<String, byte[]> encode(DeadLetter deadLetter, RecordCoordinates source) {
    Map<String, byte[]> headers = new LinkedHashMap<>();
    headers.put(DeadLetterHeaders.STAGE, utf8(deadLetter.stage().externalName()));
    if (!deadLetter.rule().isEmpty()) {
      headers.put(DeadLetterHeaders.RULE, utf8(deadLetter.rule()));
    }
    headers.put(DeadLetterHeaders.REASON, utf8(truncate(deadLetter.reason())));
    deadLetter
        .status()
        .ifPresent(s -> headers.put(DeadLetterHeaders.WORKOS_STATUS, utf8(Integer.toString(s))));
    deadLetter.code().ifPresent(c -> headers.put(DeadLetterHeaders.WORKOS_CODE, utf8(c)));
    deadLetter
        .requestId()
        .ifPresent(id -> headers.put(DeadLetterHeaders.WORKOS_REQUEST_ID, utf8(id)));
    headers.put(DeadLetterHeaders.TOPIC, utf8(source.topic()));
    headers.put(DeadLetterHeaders.PARTITION, utf8(Integer.toString(source.partition())));
    headers.put(DeadLetterHeaders.OFFSET, utf8(Long.toString(source.offset())));
    return headers;
  }

  /**
   * Reads the dead letter from a record's headers (the last value of each name).
   *
   * @return empty when there is no stage header or it names a stage this version does not know
   */
  public static Optional<Decoded> decode(Map<String, byte[]> headers) {
    Optional<FailureStage> stage =
        text(headers, DeadLetterHeaders.STAGE).flatMap(FailureStage::fromExternalName);
    if (stage.isEmpty()) {
      return Optional.empty();
    }
    OptionalInt status = OptionalInt.empty();
    Optional<String> statusText = text(headers, DeadLetterHeaders.WORKOS_STATUS);
    if (statusText.isPresent()) {
      try {
        status = OptionalInt.of(Integer.parseInt(statusText.get()));
      } catch (NumberFormatException e) {
        // Not a status this contract writes: leave it out rather than refuse the record.
      }
    }
    DeadLetter deadLetter =
        new DeadLetter(
            stage.get(),
            text(headers, DeadLetterHeaders.RULE).orElse(""),
            text(headers, DeadLetterHeaders.REASON).orElse(""),
            status,
            text(headers, DeadLetterHeaders.WORKOS_CODE),
            text(headers, DeadLetterHeaders.WORKOS_REQUEST_ID));
    return Optional.of(new Decoded(deadLetter, source(headers)));
  }

  /** {@code reason}, cut to {@link #MAX_REASON_LENGTH} characters without splitting a pair. */
  static String truncate(String reason) {
    if (reason.length() <= MAX_REASON_LENGTH) {
      return reason;
    }
    int end = MAX_REASON_LENGTH - TRUNCATION_MARKER.length();
    if (Character.isHighSurrogate(reason.charAt(end - 1))) {
      end--;
    }
    return reason.substring(0, end) + TRUNCATION_MARKER;
  }

  private static Optional<RecordCoordinates> source(Map<String, byte[]> headers) {
    Optional<String> topic = text(headers, DeadLetterHeaders.TOPIC);
    Optional<String> partition = text(headers, DeadLetterHeaders.PARTITION);
    Optional<String> offset = text(headers, DeadLetterHeaders.OFFSET);
    if (topic.isEmpty() || partition.isEmpty() || offset.isEmpty()) {
      return Optional.empty();
    }
    OptionalLong o = parseLong(offset.get());
    OptionalLong p = parseLong(partition.get());
    if (o.isEmpty() || p.isEmpty() || p.getAsLong() != (int) p.getAsLong()) {
      return Optional.empty();
    }
    return Optional.of(new RecordCoordinates(topic.get(), (int) p.getAsLong(), o.getAsLong()));
  }

  private static OptionalLong parseLong(String s) {
    try {
      return OptionalLong.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static Optional<String> text(Map<String, byte[]> headers, String name) {
    byte[] value = headers.get(name);
    return value == null
        ? Optional.empty()
        : Optional.of(new String(value, StandardCharsets.UTF_8));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
