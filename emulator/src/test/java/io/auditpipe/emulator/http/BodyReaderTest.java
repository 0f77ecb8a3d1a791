package io.auditpipe.emulator.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Request;
import org.junit.jupiter.api.Test;

/**
 * What counts as a whole request body (issue 12, item 9). When an injected reset closed a shared
 * HTTP/2 connection, Jetty ended a stream still waiting for its body with a clean, empty last
 * chunk; the emulator's trace of it was {@code Content-Length 266, chunks [last, 0 bytes, no
 * failure], connection closed}. Taken as an empty body, that request was answered 422, or 409 when
 * its key was already stored, though the client had only ever sent the complete body under that
 * key.
 */
class BodyReaderTest {

  private static final byte[] BODY =
      "{\"organization_id\":\"org_1\",\"event\":{\"action\":\"a\"}}".getBytes(UTF_8);

  @Test
  void anEmptyLastChunkOnAClosedConnectionIsAFailedReadNotAnEmptyBody() {
    BodyReader.Result r = read(BODY.length, false, List.of(Content.Chunk.EOF));

    assertThat(r).isInstanceOf(BodyReader.Failed.class);
    assertThat(((BodyReader.Failed) r).cause()).hasMessageContaining("0 of " + BODY.length);
  }

  @Test
  void aBodyShorterThanItsContentLengthIsAFailedRead() {
    Content.Chunk part = Content.Chunk.from(ByteBuffer.wrap(Arrays.copyOf(BODY, 20)), false);

    assertThat(read(BODY.length, true, List.of(part, Content.Chunk.EOF)))
        .isInstanceOf(BodyReader.Failed.class);
    assertThat(read(BODY.length, true, List.of(Content.Chunk.EOF)))
        .isInstanceOf(BodyReader.Failed.class);
  }

  @Test
  void aBodyWithoutALengthIsWholeOnlyWhileItsConnectionIsOpen() {
    BodyReader.Result open =
        read(-1, true, List.of(Content.Chunk.from(ByteBuffer.wrap(BODY), true)));
    assertThat(((BodyReader.Body) open).bytes()).isEqualTo(BODY);
    assertThat(read(-1, false, List.of(Content.Chunk.EOF))).isInstanceOf(BodyReader.Failed.class);
  }

  @Test
  void aWholeBodyIsReadInOneChunkOrSeveral() {
    BodyReader.Result one =
        read(BODY.length, true, List.of(Content.Chunk.from(ByteBuffer.wrap(BODY), true)));
    Content.Chunk head = Content.Chunk.from(ByteBuffer.wrap(Arrays.copyOf(BODY, 10)), false);
    Content.Chunk tail =
        Content.Chunk.from(ByteBuffer.wrap(Arrays.copyOfRange(BODY, 10, BODY.length)), false);
    BodyReader.Result several = read(BODY.length, true, List.of(head, tail, Content.Chunk.EOF));

    assertThat(((BodyReader.Body) one).bytes()).isEqualTo(BODY);
    assertThat(((BodyReader.Body) several).bytes()).isEqualTo(BODY);
    assertThat(read(0, true, List.of(Content.Chunk.EOF))).isInstanceOf(BodyReader.Body.class);
  }

  @Test
  void aFailureChunkIsAFailedRead() {
    assertThat(read(BODY.length, false, List.of(Content.Chunk.from(new java.io.IOException("x")))))
        .isInstanceOf(BodyReader.Failed.class);
  }

  /** Reads {@code chunks} as a request declaring {@code length} on a connection open or not. */
  private static BodyReader.Result read(long length, boolean open, List<Content.Chunk> chunks) {
    Deque<Content.Chunk> queue = new ArrayDeque<>(chunks);
    EndPoint endPoint = proxy(EndPoint.class, (name, args) -> name.equals("isOpen") ? open : null);
    Connection connection =
        proxy(Connection.class, (name, args) -> name.equals("getEndPoint") ? endPoint : null);
    ConnectionMetaData meta =
        proxy(
            ConnectionMetaData.class,
            (name, args) -> name.equals("getConnection") ? connection : null);
    Request request =
        proxy(
            Request.class,
            (name, args) ->
                switch (name) {
                  case "read" -> queue.poll();
                  case "getLength" -> length;
                  case "getConnectionMetaData" -> meta;
                  default -> throw new UnsupportedOperationException(name);
                });
    AtomicReference<BodyReader.Result> result = new AtomicReference<>();
    BodyReader.read(request, 1024, result::set);
    return result.get();
  }

  private interface Answer {
    Object answer(String method, Object[] args);
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Answer answer) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (p, m, args) -> {
              if (m.getName().equals("toString")) {
                return type.getSimpleName();
              }
              return answer.answer(m.getName(), args);
            });
  }
}
