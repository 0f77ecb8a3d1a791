package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An RFC 6901 JSON Pointer parsed once into its segments, so that resolving it walks the tree
 * without parsing, unescaping or allocating. The segments are {@linkplain String#intern()
 * interned}, as Jackson's parser interns member names, so a member of a parsed record is found by
 * identity.
 */
public final class JsonPointerPath {

  private final String text;
  private final String[] names;
  private final int[] indexes;

  private JsonPointerPath(String text, String[] names, int[] indexes) {
    this.text = text;
    this.names = names;
    this.indexes = indexes;
  }

  /**
   * Parses a pointer; the error says what is wrong with it. {@code ""} is the whole document;
   * otherwise it starts with {@code /}, and {@code ~} is only followed by {@code 0} or {@code 1}.
   */
  public static Parsed parse(String pointer) {
    if (pointer.isEmpty()) {
      return new Parsed(Optional.of(new JsonPointerPath("", new String[0], new int[0])), "");
    }
    if (pointer.charAt(0) != '/') {
      return new Parsed(
          Optional.empty(),
          "expected a JSON Pointer starting with \"/\" (RFC 6901), e.g. \"/user/id\"");
    }
    List<String> segments = new ArrayList<>();
    StringBuilder segment = new StringBuilder();
    for (int i = 1; i < pointer.length(); i++) {
      char c = pointer.charAt(i);
      if (c == '/') {
        segments.add(segment.toString());
        segment.setLength(0);
      } else if (c == '~') {
        char next = i + 1 < pointer.length() ? pointer.charAt(i + 1) : ' ';
        if (next == '0') {
          segment.append('~');
        } else if (next == '1') {
          segment.append('/');
        } else {
          return new Parsed(
              Optional.empty(),
              "invalid escape at character " + i + ": \"~\" must be followed by 0 or 1 (RFC 6901)");
        }
        i++;
      } else {
        segment.append(c);
      }
    }
    segments.add(segment.toString());
    String[] names = segments.toArray(new String[0]);
    int[] indexes = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      names[i] = names[i].intern();
      indexes[i] = arrayIndex(names[i]);
    }
    return new Parsed(Optional.of(new JsonPointerPath(pointer, names, indexes)), "");
  }

  /** A parsed pointer or why the text is not one. */
  public record Parsed(Optional<JsonPointerPath> path, String error) {}

  /** The index a reference token denotes in an array (RFC 6901: no leading zeros), or -1. */
  static int arrayIndex(String segment) {
    int n = segment.length();
    if (n == 0 || n > 9 || (n > 1 && segment.charAt(0) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < n; i++) {
      char c = segment.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** The node at this pointer below {@code from}, or {@code null} when there is none. */
  public JsonNode resolve(JsonNode from) {
    JsonNode node = from;
    for (int i = 0; i < names.length && node != null; i++) {
      if (node.isObject()) {
        node = node.get(names[i]);
      } else if (node.isArray()) {
        node = indexes[i] >= 0 ? node.get(indexes[i]) : null;
      } else {
        return null;
      }
    }
    return node;
  }

  /** The pointer made of this one's reference tokens from {@code from} on, e.g. 1 of /a/b: /b. */
  public JsonPointerPath suffix(int from) {
    String[] rest = Arrays.copyOfRange(names, from, names.length);
    StringBuilder text = new StringBuilder();
    for (String name : rest) {
      text.append('/').append(name.replace("~", "~0").replace("/", "~1"));
    }
    return new JsonPointerPath(
        text.toString(), rest, Arrays.copyOfRange(indexes, from, indexes.length));
  }

  /** The unescaped reference tokens, e.g. {@code ["a/b", "0"]} for {@code /a~1b/0}. */
  public List<String> segments() {
    return List.of(names);
  }

  @Override
  public String toString() {
    return text;
  }
}
