package io.auditpipe.emulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * HTTP/2 written byte by byte, for tests that must send what no client library sends: a body cut
 * short before a reset, a {@code :path} with {@code %00}. Only what those tests need: frames,
 * literal header blocks without indexing or Huffman coding.
 */
final class RawHttp2 {

  static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(UTF_8);
  static final int DATA = 0;
  static final int HEADERS = 1;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int GOAWAY = 7;
  static final int END_STREAM = 0x1;
  static final int END_HEADERS = 0x4;

  private RawHttp2() {}

  /** Writes one frame: the 9-byte frame header, then {@code payload}. */
  static void frame(OutputStream out, int type, int flags, int stream, byte[] payload)
      throws IOException {
    int n = payload.length;
    out.write(
        new byte[] {
          (byte) (n >>> 16),
          (byte) (n >>> 8),
          (byte) n,
          (byte) type,
          (byte) flags,
          (byte) (stream >>> 24),
          (byte) (stream >>> 16),
          (byte) (stream >>> 8),
          (byte) stream
        });
    out.write(payload);
  }

  /** A header block of {@code headers} in order, each a literal without indexing. */
  static byte[] headerBlock(Map<String, String> headers) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    headers.forEach(
        (name, value) -> {
          block.write(0); // literal header field without indexing, new name
          string(block, name);
          string(block, value);
        });
    return block.toByteArray();
  }

  /** An HPACK string literal: a 7-bit prefix length (continued past 126), no Huffman coding. */
  private static void string(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(UTF_8);
    int n = b.length;
    if (n < 127) {
      out.write(n);
    } else {
      out.write(127);
      for (n -= 127; n >= 128; n >>>= 7) {
        out.write((n & 0x7f) | 0x80);
      }
      out.write(n);
    }
    out.write(b, 0, b.length);
  }
}
