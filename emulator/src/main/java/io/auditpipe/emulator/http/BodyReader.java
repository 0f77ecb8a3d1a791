package io.auditpipe.emulator.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without blocking. A body over the limit is read to its end and dropped, so
 * that a client still sending it receives the 413 instead of a broken pipe.
 *
 * <p>A body counts as received only when it is whole: as long as its {@code Content-Length} says,
 * on a connection still open. When an injected reset closes a shared HTTP/2 connection, Jetty
 * (12.0.x) may end a stream still waiting for its body with a clean, empty last chunk rather than a
 * failure. Read as an empty body, such a stream was processed as a request of its own, answered
 * 422, or 409 when its key was already stored, while the client retried the whole request under
 * that key (issue 12, item 9). Such a body is a failed read: nothing is processed or answered.
 */
final class BodyReader {

  /** What reading ended with. */
  sealed interface Result {}

  // A request body on its way in; never compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  record Body(byte[] bytes) implements Result {}

  record TooLarge() implements Result {}

  record Failed(Throwable cause) implements Result {}

  /** The body ended short of its declared length, or after its connection closed. */
  static final class Incomplete extends java.io.EOFException {
    private static final long serialVersionUID = 1L;

    Incomplete(String message) {
      super(message);
    }
  }

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
        done.accept(whole(whole));
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
                : whole(bytes == null ? new byte[0] : bytes.toByteArray()));
        return;
      }
    }
  }

  /** The body read to its last chunk, if that is all of it; a failed read otherwise. */
  private Result whole(byte[] body) {
    long declared = request.getLength();
    if (declared >= 0 && body.length != declared) {
      return new Failed(
          new Incomplete("request body ended after " + body.length + " of " + declared + " bytes"));
    }
    if (!request.getConnectionMetaData().getConnection().getEndPoint().isOpen()) {
      return new Failed(
          new Incomplete(
              "request body ended after its connection closed (" + body.length + " bytes)"));
    }
    return new Body(body);
  }
}
