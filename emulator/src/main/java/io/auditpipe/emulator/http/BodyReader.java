package io.auditpipe.emulator.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without blocking. A body over the limit is read to its end and dropped, so
 * that a client still sending it receives the 413 instead of a broken pipe.
 */
final class BodyReader {

  /** What reading ended with. */
  sealed interface Result {}

  // A request body on its way in; never compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  record Body(byte[] bytes) implements Result {}

  record TooLarge() implements Result {}

  record Failed(Throwable cause) implements Result {}

  /** Past this many bytes a body over the limit is no longer drained: the connection closes. */
  private static final long DRAIN_LIMIT = 256L * 1024 * 1024;

  private final Request request;
  private final int max;
  private final java.util.function.Consumer<Result> done;
  private ByteArrayOutputStream bytes;
  private long total;

  private BodyReader(Request request, int max, java.util.function.Consumer<Result> done) {
    this.request = request;
    this.max = max;
    this.done = done;
  }

  static void read(Request request, int max, java.util.function.Consumer<Result> done) {
    new BodyReader(request, max, done).run();
  }

  private void run() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this::run);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        done.accept(new Failed(chunk.getFailure()));
        return;
      }
      ByteBuffer b = chunk.getByteBuffer();
      int n = b.remaining();
      total += n;
      if (bytes == null && total == n && chunk.isLast() && n <= max) {
        // The common case, a small body in one chunk: one copy.
        byte[] whole = new byte[n];
        b.get(whole);
        chunk.release();
        done.accept(new Body(whole));
        return;
      }
      if (total <= max) {
        if (bytes == null) {
          bytes = new ByteArrayOutputStream(Math.max(n, 256));
        }
        byte[] copy = new byte[n];
        b.get(copy);
        bytes.writeBytes(copy);
      } else {
        bytes = null;
      }
      boolean last = chunk.isLast();
      chunk.release();
      if (last || total > max + DRAIN_LIMIT) {
        done.accept(
            total > max
                ? new TooLarge()
                : new Body(bytes == null ? new byte[0] : bytes.toByteArray()));
        return;
      }
    }
  }
}
