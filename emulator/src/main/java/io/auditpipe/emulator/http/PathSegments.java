package io.auditpipe.emulator.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path split on its literal {@code /} and then percent-decoded segment by segment, so an
 * encoded {@code /}, {@code \}, {@code %}, NUL or newline is part of an identifier, as WorkOS
 * treats it, and never a separator. {@code +} stays a plus: this is a path, not a form.
 */
final class PathSegments {

  private PathSegments() {}

  /** The decoded segments of {@code rawPath} (still percent-encoded), without the leading empty. */
  static List<String> of(String rawPath) {
    List<String> out = new ArrayList<>();
    String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    if (p.isEmpty()) {
      return out;
    }
    int from = 0;
    while (true) {
      int slash = p.indexOf('/', from);
      out.add(decode(slash < 0 ? p.substring(from) : p.substring(from, slash)));
      if (slash < 0) {
        return out;
      }
      from = slash + 1;
    }
  }

  /**
   * Percent-decodes as UTF-8; a {@code %} not followed by two hex digits stays as it is, and {@code
   * %C0%80} is NUL.
   */
  static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    byte[] raw = segment.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < raw.length; i++) {
      int hi = i + 2 < raw.length && raw[i] == '%' ? Character.digit(raw[i + 1], 16) : -1;
      int lo = hi >= 0 ? Character.digit(raw[i + 2], 16) : -1;
      if (lo >= 0 && nulStandIn(raw, i)) {
        // An encoded NUL as Jetty was given it (see EncodedNulConnectionFactory).
        bytes.write(0);
        i += EncodedNulConnectionFactory.NUL_STAND_IN.length() - 1;
      } else if (lo >= 0) {
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        bytes.write(raw[i]);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean nulStandIn(byte[] raw, int at) {
    byte[] standIn = EncodedNulConnectionFactory.NUL_STAND_IN.getBytes(StandardCharsets.US_ASCII);
    if (at + standIn.length > raw.length) {
      return false;
    }
    for (int j = 0; j < standIn.length; j++) {
      if (Character.toUpperCase(raw[at + j]) != standIn[j]) {
        return false;
      }
    }
    return true;
  }
}
