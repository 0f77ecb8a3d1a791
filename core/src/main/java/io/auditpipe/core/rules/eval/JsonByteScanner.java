package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks a {@link ReadPlan} over a record's JSON bytes directly, the common case of {@link
 * ReadPlan#read}: no tokenizer state, no symbol table, no text buffer, member names matched as
 * bytes, and skipped values only checked, never decoded.
 *
 * <p>It accepts a strict subset of what Jackson accepts: RFC 8259 JSON with an object at the root,
 * in well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF), member names
 * in printable ASCII without escapes, nesting at most {@value #MAX_DEPTH} deep, numbers of at most
 * {@value #MAX_NUMBER_LENGTH} characters (integers read as values at most {@value #MAX_INT_DIGITS}
 * digits), and no DEL or control characters in strings. For anything else it gives up ({@link
 * #read} returns {@code null}) and the plan reads the record with Jackson, which then decides: maps
 * it, or fails with its own message. The values it reads are the nodes Jackson builds for the same
 * bytes, so no outcome depends on which of the two read a record ({@code JsonByteScannerTest} holds
 * the scanner to that over random and damaged documents).
 *
 * <p>Not thread-safe: one instance per read.
 */
final class JsonByteScanner {

  static final int MAX_DEPTH = 64;
  static final int MAX_NUMBER_LENGTH = 100;
  static final int MAX_INT_DIGITS = 18;
  // Far below Jackson's StreamReadConstraints (names 50,000 chars, strings 20,000,000), which the
  // scanner does not enforce itself: a record past these goes to the parser, which does.
  static final int MAX_NAME_LENGTH = 1_000;
  static final int MAX_STRING_LENGTH = 1_000_000;

  // Byte classes inside a string.
  private static final byte PLAIN = 0;
  private static final byte QUOTE = 1;
  private static final byte BACKSLASH = 2;
  private static final byte MULTI_BYTE = 3;
  private static final byte REFUSED = 4;
  private static final byte[] STRING_BYTES = new byte[256];

  static {
    for (int c = 0; c < 0x20; c++) {
      STRING_BYTES[c] = REFUSED;
    }
    STRING_BYTES['"'] = QUOTE;
    STRING_BYTES['\\'] = BACKSLASH;
    STRING_BYTES[0x7F] = REFUSED;
    for (int c = 0x80; c < 0x100; c++) {
      STRING_BYTES[c] = MULTI_BYTE;
    }
  }

  /** Thrown to abandon a scan; preallocated, without a stack trace, as it says nothing more. */
  private static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GiveUp() {
      super("handed to the parser", null, false, false);
    }
  }

  // Stackless and never thrown out of this class: a shared signal to fall back to the parser.
  @SuppressWarnings("StaticAssignmentOfThrowable")
  private static final GiveUp GIVE_UP = new GiveUp();

  private final byte[] json;
  private final int end;
  private int at;
  private int depth;

  private JsonByteScanner(byte[] json) {
    this.json = json;
    this.end = json.length;
  }

  /**
   * The values at {@code root}'s paths, as {@link ReadPlan#read} defines them, or {@code null} when
   * the record is outside what this scanner accepts.
   */
  static Object[] read(byte[] json, ReadPlan.Step root, int pathCount) {
    JsonByteScanner scanner = new JsonByteScanner(json);
    try {
      scanner.skipWhitespace();
      if (scanner.peek() != '{') {
        return null;
      }
      Object[] values = new Object[pathCount];
      scanner.visit(root, values);
      return values;
    } catch (GiveUp e) {
      return null;
    }
  }

  private void visit(ReadPlan.Step step, Object[] values) {
    byte c = peek();
    if (step.elements() != null && c == '[') {
      readRows(step, values);
    } else if (step.build() != null) {
      JsonNode value = value(step.build());
      int[] ids = step.ids();
      for (int k = 0; k < ids.length; k++) {
        values[ids[k]] = step.rest()[k].resolve(value);
      }
    } else if (c == '{') {
      walkObject(step, values);
    } else if (c == '[') {
      walkArray(step, values);
    } else {
      // A scalar where the rules expect members or elements: no path below it exists.
      skipValue();
    }
  }

  private void walkObject(ReadPlan.Step step, Object[] values) {
    enter();
    if (!emptyContainer('}')) {
      do {
        expect('"');
        int from = at;
        skipName();
        ReadPlan.Step child = step.members().get(json, from, at - 1);
        skipWhitespace();
        expect(':');
        skipWhitespace();
        if (child == null) {
          skipValue();
        } else {
          // A repeated member replaces the first, as in a tree: forget what the first one held.
          for (int id : child.idsBelow()) {
            values[id] = null;
          }
          visit(child, values);
        }
      } while (nextMember('}'));
    }
    depth--;
  }

  private void walkArray(ReadPlan.Step step, Object[] values) {
    enter();
    if (!emptyContainer(']')) {
      int index = 0;
      do {
        ReadPlan.Step child = step.element(index++);
        if (child == null) {
          skipValue();
        } else {
          visit(child, values);
        }
      } while (nextMember(']'));
    }
    depth--;
  }

  private void readRows(ReadPlan.Step step, Object[] values) {
    enter();
    List<Object[]> rows = new ArrayList<>(4);
    if (!emptyContainer(']')) {
      do {
        Object[] row = new Object[step.elementCount()];
        visit(step.elements(), row);
        rows.add(row);
      } while (nextMember(']'));
    }
    depth--;
    ReadPlan.Rows read = new ReadPlan.Rows(rows.toArray(new Object[0][]));
    for (int id : step.ids()) {
      values[id] = read;
    }
  }

  /** The node Jackson builds for the value here, projected to {@code build}'s paths. */
  private JsonNode value(ReadPaths build) {
    switch (peek()) {
      case '"':
        at++;
        return TextNode.valueOf(readString());
      case 't':
        literal("true");
        return BooleanNode.TRUE;
      case 'f':
        literal("false");
        return BooleanNode.FALSE;
      case 'n':
        literal("null");
        return NullNode.instance;
      case '{':
      case '[':
        return subtree(build);
      default:
        return number();
    }
  }

  /**
   * An object or array read whole, built by the projected reader from the bytes this scanner has
   * checked: subtrees are rare on the rules' paths, and this keeps their nodes Jackson's own.
   */
  private JsonNode subtree(ReadPaths build) {
    int from = at;
    skipValue();
    try (JsonParser p = ProjectedReader.FACTORY.createParser(json, from, at - from)) {
      return ProjectedReader.value(p, p.nextToken(), build);
    } catch (IOException e) {
      throw GIVE_UP;
    }
  }

  private JsonNode number() {
    int from = at;
    if (skipNumber()) {
      return DoubleNode.valueOf(
          Double.parseDouble(new String(json, from, at - from, StandardCharsets.ISO_8859_1)));
    }
    boolean negative = json[from] == '-';
    int first = negative ? from + 1 : from;
    if (at - first > MAX_INT_DIGITS) {
      throw GIVE_UP;
    }
    long value = 0;
    for (int k = first; k < at; k++) {
      value = value * 10 + (json[k] - '0');
    }
    if (negative) {
      value = -value;
    }
    return value == (int) value ? IntNode.valueOf((int) value) : LongNode.valueOf(value);
  }

  private void skipValue() {
    switch (peek()) {
      case '{':
        skipObject();
        break;
      case '[':
        skipArray();
        break;
      case '"':
        at++;
        skipString();
        break;
      case 't':
        literal("true");
        break;
      case 'f':
        literal("false");
        break;
      case 'n':
        literal("null");
        break;
      default:
        skipNumber();
    }
  }

  private void skipObject() {
    enter();
    if (!emptyContainer('}')) {
      do {
        expect('"');
        skipName();
        skipWhitespace();
        expect(':');
        skipWhitespace();
        skipValue();
      } while (nextMember('}'));
    }
    depth--;
  }

  private void skipArray() {
    enter();
    if (!emptyContainer(']')) {
      do {
        skipValue();
      } while (nextMember(']'));
    }
    depth--;
  }

  /** Steps into a container at its opening bracket. */
  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw GIVE_UP;
    }
    at++;
  }

  /** After an opening bracket: whether the container closes at once (then stepped past). */
  private boolean emptyContainer(char close) {
    skipWhitespace();
    if (peek() == close) {
      at++;
      return true;
    }
    return false;
  }

  /** After a member or element: whether another follows (then at its first byte). */
  private boolean nextMember(char close) {
    skipWhitespace();
    byte c = peek();
    at++;
    if (c == ',') {
      skipWhitespace();
      return true;
    }
    if (c == close) {
      return false;
    }
    throw GIVE_UP;
  }

  /**
   * Skips a member name after its opening quote, and its closing quote. Only printable ASCII
   * without escapes is accepted.
   */
  private void skipName() {
    int i = at;
    while (i < end && STRING_BYTES[json[i] & 0xFF] == PLAIN) {
      i++;
    }
    if (i >= end || json[i] != '"' || i - at > MAX_NAME_LENGTH) {
      throw GIVE_UP;
    }
    at = i + 1;
  }

  /** A string's text after its opening quote; steps past the closing quote. */
  private String readString() {
    int from = at;
    if (skipString()) {
      return new String(json, from, at - 1 - from, StandardCharsets.ISO_8859_1);
    }
    return decode(from, at - 1);
  }

  /**
   * Skips a string after its opening quote, and its closing quote, checking escapes and UTF-8;
   * whether it was plain ASCII without escapes.
   */
  private boolean skipString() {
    int from = at;
    boolean plain = true;
    while (true) {
      while (at < end && STRING_BYTES[json[at] & 0xFF] == PLAIN) {
        at++;
      }
      if (at >= end) {
        throw GIVE_UP;
      }
      switch (STRING_BYTES[json[at] & 0xFF]) {
        case QUOTE:
          if (at - from > MAX_STRING_LENGTH) {
            throw GIVE_UP;
          }
          at++;
          return plain;
        case BACKSLASH:
          skipEscape();
          break;
        case MULTI_BYTE:
          skipMultiByte();
          break;
        default:
          throw GIVE_UP;
      }
      plain = false;
    }
  }

  private void skipEscape() {
    byte c = byteAt(at + 1);
    switch (c) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> at += 2;
      case 'u' -> {
        for (int k = at + 2; k < at + 6; k++) {
          if (Character.digit(byteAt(k), 16) < 0) {
            throw GIVE_UP;
          }
        }
        at += 6;
      }
      default -> throw GIVE_UP;
    }
  }

  /** Skips one well-formed UTF-8 sequence of two to four bytes (Unicode table 3-7). */
  private void skipMultiByte() {
    int lead = json[at] & 0xFF;
    int length;
    int low = 0x80;
    int high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      low = lead == 0xE0 ? 0xA0 : 0x80;
      high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      low = lead == 0xF0 ? 0x90 : 0x80;
      high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
      throw GIVE_UP;
    }
    int second = byteAt(at + 1) & 0xFF;
    if (second < low || second > high) {
      throw GIVE_UP;
    }
    for (int k = at + 2; k < at + length; k++) {
      if ((byteAt(k) & 0xC0) != 0x80) {
        throw GIVE_UP;
      }
    }
    at += length;
  }

  /**
   * The text of a checked string in {@code json[from, to)} that has escapes or multi-byte
   * characters: as Jackson decodes it, escape by escape ({@code \\u} escapes to their UTF-16 unit,
   * paired or not) with well-formed UTF-8 between them.
   */
  // An escape consumes its following bytes, so the body advances k past them.
  @SuppressWarnings("IncrementInForLoopAndHeader")
  private String decode(int from, int to) {
    StringBuilder text = new StringBuilder(to - from);
    int run = from;
    for (int k = from; k < to; k++) {
      if (json[k] != '\\') {
        continue;
      }
      text.append(new String(json, run, k - run, StandardCharsets.UTF_8));
      byte c = json[k + 1];
      switch (c) {
        case 'b' -> text.append('\b');
        case 'f' -> text.append('\f');
        case 'n' -> text.append('\n');
        case 'r' -> text.append('\r');
        case 't' -> text.append('\t');
        case 'u' -> {
          text.append(
              (char) Integer.parseInt(new String(json, k + 2, 4, StandardCharsets.US_ASCII), 16));
          k += 4;
        }
        default -> text.append((char) c);
      }
      k++;
      run = k + 1;
    }
    return text.append(new String(json, run, to - run, StandardCharsets.UTF_8)).toString();
  }

  /**
   * Skips a number: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}; whether it has a
   * fraction or exponent. What may follow it is the caller's to check.
   */
  private boolean skipNumber() {
    int from = at;
    if (peek() == '-') {
      at++;
    }
    byte first = peek();
    if (first == '0') {
      at++;
    } else if (first >= '1' && first <= '9') {
      skipDigits();
    } else {
      throw GIVE_UP;
    }
    boolean fraction = false;
    if (at < end && json[at] == '.') {
      at++;
      requireDigits();
      fraction = true;
    }
    if (at < end && (json[at] == 'e' || json[at] == 'E')) {
      at++;
      if (at < end && (json[at] == '+' || json[at] == '-')) {
        at++;
      }
      requireDigits();
      fraction = true;
    }
    if (at - from > MAX_NUMBER_LENGTH) {
      throw GIVE_UP;
    }
    return fraction;
  }

  private void requireDigits() {
    byte c = peek();
    if (c < '0' || c > '9') {
      throw GIVE_UP;
    }
    skipDigits();
  }

  private void skipDigits() {
    while (at < end && json[at] >= '0' && json[at] <= '9') {
      at++;
    }
  }

  private void literal(String word) {
    for (int k = 0; k < word.length(); k++) {
      if (byteAt(at + k) != word.charAt(k)) {
        throw GIVE_UP;
      }
    }
    at += word.length();
  }

  private void expect(char c) {
    if (peek() != c) {
      throw GIVE_UP;
    }
    at++;
  }

  private void skipWhitespace() {
    if (at < end && json[at] > ' ') {
      return;
    }
    while (at < end) {
      byte c = json[at];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      at++;
    }
  }

  /** The byte at the cursor; the input ending here is outside what this scanner reads. */
  private byte peek() {
    return byteAt(at);
  }

  private byte byteAt(int k) {
    if (k >= end) {
      throw GIVE_UP;
    }
    return json[k];
  }
}
