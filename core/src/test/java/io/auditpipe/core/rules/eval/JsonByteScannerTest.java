package io.auditpipe.core.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonByteScanner} reads exactly what Jackson's parser reads, or hands the record over:
 * whatever it accepts, {@link ReadPlan#readWithParser} accepts too and reads as the same nodes
 * (same types, same text, same numbers), over random documents full of escapes, multi-byte
 * characters and number forms, and over random byte-level damage of them.
 */
class JsonByteScannerTest {

  private static final String[] MEMBERS = {"s", "n", "obj", "a", "deep", "items", "far", "x"};

  private final ReadPlan plan = plan();

  private static JsonPointerPath path(String pointer) {
    return JsonPointerPath.parse(pointer).path().orElseThrow();
  }

  /** Leaves of every kind, a subtree read whole, indexes (direct and by name), and rows. */
  private static ReadPlan plan() {
    List<JsonPointerPath> rootPaths =
        List.of(
            path("/s"),
            path("/n"),
            path("/obj"),
            path("/a/1"),
            path("/deep/x/s"),
            path("/items"),
            path("/far/70"),
            path("/x"));
    ReadPaths read = new ReadPaths();
    for (JsonPointerPath p : rootPaths) {
      if (!p.toString().equals("/items")) {
        read.add(p.segments());
      }
    }
    ReadPaths element = read.elementsOf(path("/items").segments());
    List<JsonPointerPath> elementPaths = List.of(path("/s"), path("/n"), path("/obj/a"));
    elementPaths.forEach(p -> element.add(p.segments()));
    return ReadPlan.of(read, rootPaths, Map.of(element, elementPaths));
  }

  @Test
  void randomDocumentsAreReadByTheScannerAsByTheParser() throws Exception {
    Random random = new Random(7);
    int scanned = 0;
    for (int i = 0; i < 5000; i++) {
      byte[] json = document(random);
      Object[] expected = plan.readWithParser(json);
      Object[] actual = plan.scan(json);
      if (actual != null) {
        scanned++;
        assertSameValues(json, actual, expected);
      }
    }
    // Well-formed, without what the scanner hands over (DEL, integers read past 18 digits):
    // every document is scanned.
    assertThat(scanned).isEqualTo(5000);
  }

  @Test
  void damagedDocumentsAreEitherHandedOverOrReadAsByTheParser() throws Exception {
    Random random = new Random(11);
    int scanned = 0;
    int rejectedByParser = 0;
    for (int i = 0; i < 20000; i++) {
      byte[] json = damage(document(random), random);
      Object[] actual = plan.scan(json);
      Object[] expected;
      try {
        expected = plan.readWithParser(json);
      } catch (IOException e) {
        rejectedByParser++;
        assertThat(actual)
            .as("scanner accepted what the parser rejects (%s): %s", e, show(json))
            .isNull();
        continue;
      }
      if (actual != null) {
        scanned++;
        assertSameValues(json, actual, expected);
      }
    }
    assertThat(scanned).isGreaterThan(2000);
    assertThat(rejectedByParser).isGreaterThan(2000);
  }

  @Test
  void recordsOutsideTheScannersSubsetAreHandedToTheParser() throws Exception {
    for (String hex :
        List.of(
            "efbbbf7b7d", // a byte order mark
            "7b2278223a2261c08022 7d", // overlong NUL in a string
            "7b2278223a22eda08022 7d", // a UTF-16 surrogate encoded in UTF-8
            "7b2278223a22f490808022 7d", // past U+10FFFF
            "7b2278223a227f22 7d", // DEL
            "7b22c3a9223a317d", // a non-ASCII member name
            "7b225c7530303738223a317d")) { // an escaped member name ("\\u0078")
      byte[] json = HexFormat.of().parseHex(hex.replace(" ", ""));
      assertThat(plan.scan(json)).as(hex).isNull();
      assertReadAsByParser(json);
    }
    for (String json :
        List.of(
            "[1]",
            "7",
            "{\"n\":1234567890123456789}", // 19 digits, read
            "{\"n\":" + "1".repeat(101) + ".5}",
            "{\"x\":" + "[".repeat(64) + "]".repeat(64) + "}",
            "{\"m" + "n".repeat(JsonByteScanner.MAX_NAME_LENGTH) + "\":1}",
            "{\"m\":\"" + "v".repeat(JsonByteScanner.MAX_STRING_LENGTH + 1) + "\"}",
            "{\"s\":\"a\",}",
            "{\"s\":01}",
            "{\"s\":\"a\"")) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      assertThat(plan.scan(bytes)).as(json).isNull();
      assertReadAsByParser(bytes);
    }
  }

  @Test
  void ordinaryRecordsAreReadByTheScanner() throws Exception {
    for (String json :
        List.of(
            "{}",
            " \t\r\n{ \"s\" : \"caf\u00e9 \\\"\\u00e9\\ud83d\\ude00\\ud800\\/\" , \"n\" : -0.0e-0 }",
            "{\"n\":123456789012345678,\"s\":\"\uD83D\uDE00\",\"obj\":{\"a\":[1,{\"b\":null}]}}",
            "{\"n\":-2147483649,\"x\":true,\"a\":[0,\"\u0800\"],\"items\":[{\"s\":\"a\"},7]}",
            "{\"deep\":{\"x\":{\"s\":false}},\"far\":{\"70\":1e400},\"items\":{\"obj\":1}}",
            "{\""
                + "n".repeat(JsonByteScanner.MAX_NAME_LENGTH)
                + "\":1,\"s\":\""
                + "v".repeat(JsonByteScanner.MAX_STRING_LENGTH)
                + "\"}",
            "{\"x\":" + "[".repeat(63) + "]".repeat(63) + "} trailing bytes are not read")) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      Object[] scanned = plan.scan(bytes);
      assertThat(scanned).as(json).isNotNull();
      assertSameValues(bytes, scanned, plan.readWithParser(bytes));
    }
  }

  private void assertReadAsByParser(byte[] json) throws Exception {
    Object[] expected;
    try {
      expected = plan.readWithParser(json);
    } catch (IOException e) {
      assertThat(catchThrowable(() -> plan.read(json))).isInstanceOf(IOException.class);
      return;
    }
    assertSameValues(json, plan.read(json), expected);
  }

  private static void assertSameValues(byte[] json, Object[] actual, Object[] expected) {
    assertThat(Arrays.deepToString(comparable(actual)))
        .as(show(json))
        .isEqualTo(Arrays.deepToString(comparable(expected)));
    assertThat(Arrays.deepEquals(comparable(actual), comparable(expected))).as(show(json)).isTrue();
    // deepEquals compares nodes with equals, which tells IntNode from LongNode and 0.0 from -0.0;
    // the node classes are compared too, for nodes whose equals is lenient.
    assertThat(classes(actual)).as(show(json)).isEqualTo(classes(expected));
  }

  private static Object[] comparable(Object[] values) {
    Object[] out = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] =
          values[i] instanceof ReadPlan.Rows rows
              ? Arrays.stream(rows.rows()).map(JsonByteScannerTest::comparable).toArray()
              : values[i];
    }
    return out;
  }

  private static String classes(Object[] values) {
    StringBuilder out = new StringBuilder();
    for (Object v : values) {
      if (v instanceof ReadPlan.Rows rows) {
        for (Object[] row : rows.rows()) {
          out.append('[').append(classes(row)).append(']');
        }
      } else {
        out.append(v == null ? "null" : v.getClass().getSimpleName()).append(',');
      }
    }
    return out.toString();
  }

  private static String show(byte[] json) {
    String text =
        new String(json, StandardCharsets.UTF_8).replace("\n", "\\n").replace("\r", "\\r");
    return text + " / " + HexFormat.of().formatHex(json);
  }

  // ---- random documents

  private static byte[] document(Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    object(out, random, 0, true);
    if (random.nextInt(4) == 0) {
      write(out, " " + (random.nextBoolean() ? "{" : "garbage"));
    }
    return out.toByteArray();
  }

  private static void value(ByteArrayOutputStream out, Random random, int depth) {
    switch (random.nextInt(depth > 3 ? 4 : 7)) {
      case 0 -> string(out, random);
      case 1 -> number(out, random);
      case 2 -> write(out, random.nextBoolean() ? "true" : random.nextBoolean() ? "false" : "null");
      case 3 -> string(out, random);
      case 4 -> object(out, random, depth + 1, random.nextBoolean());
      case 5 -> array(out, random, depth + 1);
      default -> number(out, random);
    }
  }

  private static void object(ByteArrayOutputStream out, Random random, int depth, boolean planned) {
    write(out, "{");
    ws(out, random);
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        write(out, ",");
        ws(out, random);
      }
      String name =
          planned || random.nextBoolean()
              ? MEMBERS[random.nextInt(MEMBERS.length)]
              : random.nextInt(5) == 0 ? "70" : "m" + random.nextInt(3);
      write(out, "\"" + name + "\"");
      ws(out, random);
      write(out, ":");
      ws(out, random);
      if (depth < 4 && (name.equals("items") || name.equals("far") || name.equals("a"))) {
        if (random.nextInt(4) > 0) {
          array(out, random, depth + 1);
        } else {
          value(out, random, depth + 1);
        }
      } else {
        value(out, random, depth);
      }
      ws(out, random);
    }
    write(out, "}");
  }

  private static void array(ByteArrayOutputStream out, Random random, int depth) {
    write(out, "[");
    int n = random.nextInt(10) == 0 ? 75 : random.nextInt(4);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        write(out, ",");
      }
      ws(out, random);
      if (depth < 4 && random.nextBoolean()) {
        object(out, random, depth + 1, true);
      } else {
        value(out, random, depth + 1);
      }
    }
    write(out, "]");
  }

  private static final String[] STRING_PARTS = {
    "a",
    "Zo\u00eb",
    "\u0800",
    "\uffff",
    "\uD83D\uDE00",
    "\\\"",
    "\\\\",
    "\\/",
    "\\b",
    "\\f",
    "\\n",
    "\\r",
    "\\t",
    "\\u00e9",
    "\\u00E9",
    "\\ud83d\\ude00",
    "\\ud800",
    "\\udc00x",
    "\\u0000",
    " ",
    "~",
    "plain ascii text"
  };

  private static void string(ByteArrayOutputStream out, Random random) {
    write(out, "\"");
    int n = random.nextInt(5);
    for (int i = 0; i < n; i++) {
      write(out, STRING_PARTS[random.nextInt(STRING_PARTS.length)]);
    }
    write(out, "\"");
  }

  private static final String[] NUMBERS = {
    "0",
    "-0",
    "7",
    "-7",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "123456789012345678",
    "-123456789012345678",
    "0.5",
    "-0.0",
    "1e5",
    "1E+5",
    "1e-5",
    "2.5E-3",
    "1e400",
    "-1e400",
    "4.9e-324",
    "0.30000000000000004",
    "123456789.123456789e10"
  };

  private static void number(ByteArrayOutputStream out, Random random) {
    write(out, NUMBERS[random.nextInt(NUMBERS.length)]);
  }

  private static void ws(ByteArrayOutputStream out, Random random) {
    if (random.nextInt(4) == 0) {
      write(out, new String[] {" ", "\n", "\r\n\t", "  "}[random.nextInt(4)]);
    }
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  private static final byte[][] DAMAGE = {
    {0x7f},
    {(byte) 0xc0},
    {(byte) 0xc3},
    {(byte) 0x80},
    {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
    {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {(byte) 0xf5},
    {(byte) 0xff},
    {0},
    {0x1f},
    {'\\'},
    {'\\', 'u', '1'},
    {'"'},
    {','},
    {':'},
    {'{'},
    {'}'},
    {'['},
    {']'},
    {'-'},
    {'.'},
    {'e'},
    {'0'},
    {'+'},
    {' '},
    {'t'},
    {'n'},
    {'/'},
    {'#'},
    {'\''},
    {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}
  };

  private static byte[] damage(byte[] original, Random random) {
    List<Byte> out = new ArrayList<>();
    for (byte b : original) {
      out.add(b);
    }
    int n = 1 + random.nextInt(2);
    for (int k = 0; k < n && !out.isEmpty(); k++) {
      int at = random.nextInt(out.size());
      switch (random.nextInt(4)) {
        case 0 -> out.remove(at);
        case 1 -> out.set(at, (byte) random.nextInt(256));
        default -> {
          byte[] insert = DAMAGE[random.nextInt(DAMAGE.length)];
          for (int j = insert.length - 1; j >= 0; j--) {
            out.add(at, insert[j]);
          }
        }
      }
    }
    int length = random.nextInt(6) == 0 ? random.nextInt(out.size() + 1) : out.size();
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = out.get(i);
    }
    return bytes;
  }
}
