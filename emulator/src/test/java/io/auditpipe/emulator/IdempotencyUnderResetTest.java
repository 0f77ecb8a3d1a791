package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static io.auditpipe.emulator.Http.event;
import static io.auditpipe.emulator.RawHttp2.DATA;
import static io.auditpipe.emulator.RawHttp2.END_HEADERS;
import static io.auditpipe.emulator.RawHttp2.END_STREAM;
import static io.auditpipe.emulator.RawHttp2.HEADERS;
import static io.auditpipe.emulator.RawHttp2.PREFACE;
import static io.auditpipe.emulator.RawHttp2.SETTINGS;
import static io.auditpipe.emulator.RawHttp2.frame;
import static io.auditpipe.emulator.RawHttp2.headerBlock;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.emulator.faults.FaultKind;
import io.auditpipe.emulator.faults.FaultSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An injected reset after storing one event closes the shared HTTP/2 connection while other streams
 * on it are still arriving. Whatever part of those requests had arrived, none may be processed as a
 * request of its own: the client retries each with the same key and the same body, and a retry must
 * never conflict with what the emulator made of the interrupted attempt (issue 12, item 9).
 *
 * <p>Here the cut stream is handled before the reset and its read fails; when it is handled after
 * the close, Jetty may end it with an empty last chunk instead, which {@code BodyReaderTest}
 * covers.
 *
 * <p>Frames are written by hand (h2c with prior knowledge, literal HPACK headers) so that the
 * interrupted stream is waiting for the rest of its body when the request that triggers the reset
 * arrives.
 */
class IdempotencyUnderResetTest {

  @AutoClose static final WorkOsEmulator workos = WorkOsEmulator.builder().noRateLimit().start();

  @BeforeEach
  void resetEmulator() {
    workos.reset();
  }

  @ParameterizedTest
  @CsvSource({
    "headers only, false",
    "part of the body, false",
    "the body without END_STREAM, false",
    "headers only, true",
    "part of the body, true",
    "the body without END_STREAM, true"
  })
  void aStreamCutByTheResetIsNotProcessedSoItsRetryIsNeverAConflict(
      String arrived, boolean storedBefore) throws Exception {
    byte[] first = event(ORG, "first.happened").getBytes(UTF_8);
    byte[] cut = event(ORG, "cut.happened").getBytes(UTF_8);
    Http http = new Http(workos.baseUrl(), workos.apiKey());
    if (storedBefore) {
      // An earlier attempt of the cut request was stored (its answer lost): the cut one is a retry.
      assertThat(http.post("/audit_logs/events", new String(cut, UTF_8), "k-cut").statusCode())
          .isEqualTo(201);
    }
    // The cut stream arrives first (its draw: no fault), the request that resets second.
    workos.faults(FaultSettings.NONE.withNext(FaultKind.LATENCY, FaultKind.RESET_AFTER));
    try (Socket socket = new Socket(workos.baseUrl().getHost(), workos.baseUrl().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(PREFACE);
      frame(out, SETTINGS, 0, 0, new byte[0]);
      frame(out, HEADERS, END_HEADERS, 1, headers(cut.length, "k-cut"));
      if (arrived.equals("part of the body")) {
        frame(out, DATA, 0, 1, Arrays.copyOf(cut, 20));
      } else if (arrived.equals("the body without END_STREAM")) {
        frame(out, DATA, 0, 1, cut);
      }
      out.flush();
      // Time for the server to start handling the cut stream and wait for the rest of its body.
      Thread.sleep(300);
      ByteArrayOutputStream frames = new ByteArrayOutputStream();
      frame(frames, HEADERS, END_HEADERS, 3, headers(first.length, "k-first"));
      frame(frames, DATA, END_STREAM, 3, first);
      out.write(frames.toByteArray());
      out.flush();
      drainUntilClosed(socket.getInputStream());
    }

    HttpResponse<String> retry = http.post("/audit_logs/events", new String(cut, UTF_8), "k-cut");

    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    // The cut stream was never taken for a request of its own, with an empty or partial body: no
    // validation failure (422) and no conflict (409) was answered, even to nobody.
    assertThat(workos.counters().requests(422)).isZero();
    assertThat(workos.counters().requests(409)).isZero();
    assertThat(workos.counters().idempotencyConflicts()).isZero();
    assertThat(workos.idempotencyConflicts()).isEmpty();
    assertThat(workos.counters().faults("reset_after")).isEqualTo(1);
    assertThat(workos.events(ORG)).hasSize(2);
  }

  private static void drainUntilClosed(InputStream in) {
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // The server's SETTINGS and acknowledgements; the reset ends this.
      }
    } catch (IOException e) {
      // Reset by the fault, as expected.
    }
  }

  private static byte[] headers(int contentLength, String idempotencyKey) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(":method", "POST");
    h.put(":scheme", "http");
    h.put(":path", "/audit_logs/events");
    h.put(":authority", workos.baseUrl().getAuthority());
    h.put("authorization", "Bearer " + workos.apiKey());
    h.put("content-type", "application/json");
    h.put("content-length", Integer.toString(contentLength));
    h.put("idempotency-key", idempotencyKey);
    return headerBlock(h);
  }
}
