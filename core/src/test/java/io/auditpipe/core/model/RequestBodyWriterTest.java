package io.auditpipe.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link AuditEventJson#toRequestBody} (the byte writer) against {@link
 * AuditEventJson#writeRequestBody(AuditEvent, java.io.OutputStream)} (Jackson's generator): the
 * same bytes for every event.
 */
class RequestBodyWriterTest {

  private static final double[] DOUBLES = {
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    -0.0,
    0.0,
    Double.MIN_VALUE,
    -Double.MIN_VALUE,
    Double.MIN_NORMAL,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    1e300,
    1e-300,
    1e7,
    1e-3,
    1e-4,
    0.1,
    2.0 / 3,
    123456789.125,
    Double.longBitsToDouble(0x7ff8_0000_0000_0001L)
  };

  private static final long[] LONGS = {
    Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1L << 53
  };

  private static final Instant[] INSTANTS = {
    Instant.parse("0000-01-01T00:00:00Z"),
    Instant.parse("0000-01-01T00:00:00Z").minusMillis(1),
    Instant.parse("9999-12-31T23:59:59.999Z"),
    Instant.parse("9999-12-31T23:59:59.999Z").plusMillis(1),
    Instant.parse("-0001-06-15T12:00:00.5Z"),
    Instant.parse("+10000-01-01T00:00:00Z"),
    Instant.parse("-999999999-01-01T00:00:00Z"),
    Instant.parse("+999999999-12-31T23:59:59.999Z"),
    Instant.EPOCH,
    Instant.EPOCH.minusMillis(1),
    Instant.parse("2024-02-29T23:59:59.999Z")
  };

  private static final int LONG_STRING_CHARS = 100 * 1024;

  private static final AuditEvent FULL = AuditEventJsonTest.fullEvent();

  @Test
  void theHandWrittenEventsAreWrittenAsTheGeneratorWritesThem() {
    assertSameAsGenerator(FULL);
    assertSameAsGenerator(AuditEventJsonTest.minimalEvent(Metadata.empty()));
    Map<String, MetadataValue> md = new LinkedHashMap<>();
    for (int i = 0; i < WorkOsLimits.MAX_METADATA_KEYS; i++) {
      md.put("key_" + i, MetadataValue.of(Character.toString('a' + i % 26).repeat(500)));
    }
    assertSameAsGenerator(AuditEventJsonTest.minimalEvent(Metadata.of(md)));
  }

  @Test
  void escapesAsJacksonDoesByDefault() {
    StringBuilder ascii = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      ascii.append(c);
    }
    String json = body(withAction(ascii.toString()));

    // Pinned rather than only compared, so that the writer and a changed Jackson cannot agree on
    // something else unnoticed.
    assertThat(json)
        .contains(
            "\"action\":\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n"
                + "\\u000B\\f\\r\\u000E\\u000F\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016"
                + "\\u0017\\u0018\\u0019\\u001A\\u001B\\u001C\\u001D\\u001E\\u001F"
                + " !\\\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`"
                + "abcdefghijklmnopqrstuvwxyz{|}~\u007F\"");
    assertSameAsGenerator(withAction(ascii.toString()));
    // Each char after a plain run too, where the writer leaves its plain-ASCII copy.
    for (char c = 0; c < 0x100; c++) {
      assertSameAsGenerator(withAction("plain " + c + " plain"));
    }
    assertThat(body(withAction("é€\uFFFF"))).contains("\"action\":\"é€\uFFFF\"");
    assertSameAsGenerator(withAction("é€\uFFFF\u0080\u07FF\u0800"));
  }

  @Test
  void surrogatesPairedOrNotAreEscapedOneByOneAsTheGeneratorDoes() {
    // Jackson 2.21's UTF8JsonGenerator neither combines a pair into 4-byte UTF-8 nor rejects a
    // lone surrogate by default: it escapes each surrogate char. The writer must do the same.
    assertThat(body(withAction("a😀b"))).contains("\"action\":\"a\\uD83D\\uDE00b\"");
    assertThat(body(withAction("\uD800"))).contains("\"action\":\"\\uD800\"");
    for (String s :
        List.of("😀", "\uD800", "\uDC00", "a\uD800b", "\uDE00\uD83D", "x\uDBFF", "\uDFFFy")) {
      assertSameAsGenerator(withAction(s));
      assertSameAsGenerator(withMetadata(Map.of(s, MetadataValue.of(s))));
    }
  }

  @Test
  void metadataNumbersAreWrittenAsTheGeneratorWritesThem() {
    Map<String, MetadataValue> md = new LinkedHashMap<>();
    for (int i = 0; i < DOUBLES.length; i++) {
      md.put("d" + i, MetadataValue.of(DOUBLES[i]));
    }
    for (int i = 0; i < LONGS.length; i++) {
      md.put("l" + i, MetadataValue.of(LONGS[i]));
    }
    md.put("t", MetadataValue.of(true));
    md.put("f", MetadataValue.of(false));
    String json = body(withMetadata(md));

    assertThat(json)
        .contains(
            "\"d0\":\"NaN\",\"d1\":\"Infinity\",\"d2\":\"-Infinity\",\"d3\":-0.0,",
            "\"l0\":-9223372036854775808,\"l1\":9223372036854775807,",
            "\"t\":true,\"f\":false}");
    assertSameAsGenerator(withMetadata(md));
  }

  @Test
  void occurredAtAndVersionAreWrittenAsTheGeneratorWritesThem() {
    for (Instant t : INSTANTS) {
      for (OptionalInt version :
          List.of(
              OptionalInt.empty(),
              OptionalInt.of(0),
              OptionalInt.of(Integer.MIN_VALUE),
              OptionalInt.of(Integer.MAX_VALUE))) {
        assertSameAsGenerator(
            new AuditEvent(
                "org_1",
                "a.b",
                t,
                version,
                new Actor("u", "user"),
                List.of(),
                new Context("10.0.0.1"),
                Metadata.empty()));
      }
    }
    assertThat(body(withOccurredAt(INSTANTS[3]))).contains("\"+10000-01-01T00:00:00.000Z\"");
    assertThat(body(withOccurredAt(INSTANTS[1]))).contains("\"-0001-12-31T23:59:59.999Z\"");
  }

  @Test
  void stringsLongerThanAnyBufferAreWrittenWhole() {
    List<String> longStrings =
        List.of(
            "a".repeat(LONG_STRING_CHARS),
            "a".repeat(LONG_STRING_CHARS) + "\n",
            "\u0001".repeat(LONG_STRING_CHARS),
            "€".repeat(LONG_STRING_CHARS),
            "😀".repeat(LONG_STRING_CHARS / 2),
            "é\"x\\".repeat(LONG_STRING_CHARS / 4));
    for (String s : longStrings) {
      assertSameAsGenerator(withAction(s));
      assertSameAsGenerator(withMetadata(Map.of(s, MetadataValue.of(s))));
    }
  }

  @Test
  void bodiesOneAfterAnotherOnOneThreadAreEachWhole() {
    // Large (the buffer grows, then is let go), small, escaped, small: each body alone.
    AuditEvent large = withAction("\u0001€".repeat(LONG_STRING_CHARS));
    AuditEvent escaped = withAction("\"\\\n😀");
    byte[] small = AuditEventJson.toRequestBody(FULL);

    for (AuditEvent e : List.of(large, FULL, escaped, FULL, large, escaped, large)) {
      assertSameAsGenerator(e);
    }
    assertThat(AuditEventJson.toRequestBody(FULL)).isEqualTo(small);
  }

  @Test
  void anInstantTheFormatterCannotWriteFailsAsWithTheGeneratorAndTheNextBodyIsWhole() {
    // Instants beyond LocalDateTime's years (±999,999,999) have no text; the generator path fails
    // with the formatter's exception, after part of the body is written.
    for (Instant t : List.of(Instant.MIN, Instant.MAX)) {
      AuditEvent event = withOccurredAt(t);
      Throwable generatorFailure =
          catchThrowable(() -> AuditEventJson.writeRequestBody(event, new ByteArrayOutputStream()));
      assertThat(generatorFailure).isInstanceOf(java.time.DateTimeException.class);

      assertThatThrownBy(() -> AuditEventJson.toRequestBody(event))
          .isInstanceOf(generatorFailure.getClass())
          .hasMessage(generatorFailure.getMessage());
      assertSameAsGenerator(FULL);
      assertSameAsGenerator(AuditEventJsonTest.minimalEvent(Metadata.empty()));
    }
  }

  @Test
  void generatedEventsAreWrittenAsTheGeneratorWritesThem() {
    Random random = new Random(20_261_202L);
    Coverage seen = new Coverage();
    for (int i = 0; i < 3_000; i++) {
      assertSameAsGenerator(randomEvent(random, seen));
    }
    // The seed does reach each case the writer treats apart.
    assertThat(seen.versions).isPositive();
    assertThat(seen.names).isPositive();
    assertThat(seen.userAgents).isPositive();
    assertThat(seen.emptyMetadata).isPositive();
    assertThat(seen.largeMetadata).isPositive();
    assertThat(seen.longStrings).isPositive();
    assertThat(seen.supplementary).isPositive();
    assertThat(seen.loneSurrogates).isPositive();
    assertThat(seen.nonFinite).isPositive();
    assertThat(seen.edgeInstants).isPositive();
  }

  /** How often the generated events reached the cases worth reaching. */
  private static final class Coverage {
    int versions;
    int names;
    int userAgents;
    int emptyMetadata;
    int largeMetadata;
    int longStrings;
    int supplementary;
    int loneSurrogates;
    int nonFinite;
    int edgeInstants;
  }

  private static AuditEvent randomEvent(Random r, Coverage seen) {
    OptionalInt version = OptionalInt.empty();
    if (r.nextBoolean()) {
      seen.versions++;
      version = OptionalInt.of(r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(10));
    }
    List<Target> targets = new ArrayList<>();
    int targetCount = r.nextInt(4);
    for (int i = 0; i < targetCount; i++) {
      targets.add(
          new Target(
              randomString(r, seen),
              randomString(r, seen),
              randomName(r, seen),
              randomMetadata(r, seen)));
    }
    Optional<String> userAgent = Optional.empty();
    if (r.nextBoolean()) {
      seen.userAgents++;
      userAgent = Optional.of(randomString(r, seen));
    }
    return new AuditEvent(
        randomString(r, seen),
        randomString(r, seen),
        randomInstant(r, seen),
        version,
        new Actor(
            randomString(r, seen),
            randomString(r, seen),
            randomName(r, seen),
            randomMetadata(r, seen)),
        targets,
        new Context(randomString(r, seen), userAgent),
        randomMetadata(r, seen));
  }

  private static Optional<String> randomName(Random r, Coverage seen) {
    if (r.nextBoolean()) {
      return Optional.empty();
    }
    seen.names++;
    return Optional.of(randomString(r, seen));
  }

  private static Instant randomInstant(Random r, Coverage seen) {
    if (r.nextInt(8) == 0) {
      seen.edgeInstants++;
      return INSTANTS[r.nextInt(INSTANTS.length)];
    }
    // Years -100 to 10100: the hand-written years, their edges and the formatter's on both sides.
    long from = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("+10100-01-01T00:00:00Z").getEpochSecond();
    return Instant.ofEpochSecond(
        from + (long) (r.nextDouble() * (to - from)), r.nextInt(1_000_000_000));
  }

  private static Metadata randomMetadata(Random r, Coverage seen) {
    int size =
        switch (r.nextInt(6)) {
          case 0, 1 -> 0;
          case 2 -> WorkOsLimits.MAX_METADATA_KEYS;
          default -> 1 + r.nextInt(5);
        };
    if (size == 0) {
      seen.emptyMetadata++;
    } else if (size == WorkOsLimits.MAX_METADATA_KEYS) {
      seen.largeMetadata++;
    }
    Map<String, MetadataValue> values = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      values.put(randomString(r, seen), randomValue(r, seen));
    }
    return Metadata.of(values);
  }

  private static MetadataValue randomValue(Random r, Coverage seen) {
    switch (r.nextInt(7)) {
      case 0:
        double d = DOUBLES[r.nextInt(DOUBLES.length)];
        if (!Double.isFinite(d)) {
          seen.nonFinite++;
        }
        return MetadataValue.of(d);
      case 1:
        double bits = Double.longBitsToDouble(r.nextLong());
        if (!Double.isFinite(bits)) {
          seen.nonFinite++;
        }
        return MetadataValue.of(bits);
      case 2:
        return MetadataValue.of(r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20));
      case 3:
        return MetadataValue.of(LONGS[r.nextInt(LONGS.length)]);
      case 4:
        return MetadataValue.of(r.nextBoolean() ? r.nextLong() : r.nextInt(1000));
      case 5:
        return MetadataValue.of(r.nextBoolean());
      default:
        return MetadataValue.of(randomString(r, seen));
    }
  }

  /** Strings of every kind the writer treats apart; now and then one of over 100 K chars. */
  private static String randomString(Random r, Coverage seen) {
    int length = r.nextInt(40);
    if (r.nextInt(2_000) == 0) {
      seen.longStrings++;
      length = LONG_STRING_CHARS + r.nextInt(1_000);
    }
    StringBuilder s = new StringBuilder(length + 2);
    int kind = r.nextInt(8);
    while (s.length() < length) {
      switch (kind) {
        case 0, 1, 2 -> s.append((char) (0x20 + r.nextInt(0x5F))); // printable ASCII
        case 3 -> s.append((char) r.nextInt(0x80)); // any ASCII, controls included
        case 4 -> s.append((char) (0x80 + r.nextInt(0xD800 - 0x80))); // BMP below surrogates
        case 5 -> {
          seen.supplementary++;
          s.appendCodePoint(0x10000 + r.nextInt(Character.MAX_CODE_POINT - 0xFFFF));
        }
        case 6 -> {
          // Mostly plain, with a lone surrogate half now and then.
          if (r.nextInt(10) == 0) {
            seen.loneSurrogates++;
            s.append((char) (0xD800 + r.nextInt(0x800)));
          } else {
            s.append((char) (0x20 + r.nextInt(0x5F)));
          }
        }
        default -> s.append((char) r.nextInt(0x10000)); // any char at all
      }
    }
    return s.toString();
  }

  private static AuditEvent withAction(String action) {
    return new AuditEvent(
        FULL.organizationId(),
        action,
        FULL.occurredAt(),
        FULL.version(),
        FULL.actor(),
        FULL.targets(),
        FULL.context(),
        FULL.metadata());
  }

  private static AuditEvent withOccurredAt(Instant t) {
    return new AuditEvent(
        FULL.organizationId(),
        FULL.action(),
        t,
        FULL.version(),
        FULL.actor(),
        FULL.targets(),
        FULL.context(),
        FULL.metadata());
  }

  private static AuditEvent withMetadata(Map<String, MetadataValue> metadata) {
    return AuditEventJsonTest.minimalEvent(Metadata.of(metadata));
  }

  private static String body(AuditEvent event) {
    return new String(AuditEventJson.toRequestBody(event), StandardCharsets.UTF_8);
  }

  private static void assertSameAsGenerator(AuditEvent event) {
    ByteArrayOutputStream generated = new ByteArrayOutputStream();
    AuditEventJson.writeRequestBody(event, generated);
    byte[] expected = generated.toByteArray();
    byte[] actual = AuditEventJson.toRequestBody(event);
    int at = Arrays.mismatch(actual, expected);
    if (at >= 0) {
      fail(
          "the body differs from the generator's at byte %d (lengths %d and %d):%n"
              + "  writer:    …%s…%n  generator: …%s…",
          at, actual.length, expected.length, around(actual, at), around(expected, at));
    }
  }

  private static String around(byte[] b, int at) {
    int from = Math.max(0, at - 40);
    int to = Math.min(b.length, at + 40);
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }
}
