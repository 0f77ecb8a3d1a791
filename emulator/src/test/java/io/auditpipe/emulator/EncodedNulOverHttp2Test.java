package io.auditpipe.emulator;

import static io.auditpipe.emulator.RawHttp2.DATA;
import static io.auditpipe.emulator.RawHttp2.END_HEADERS;
import static io.auditpipe.emulator.RawHttp2.END_STREAM;
import static io.auditpipe.emulator.RawHttp2.GOAWAY;
import static io.auditpipe.emulator.RawHttp2.HEADERS;
import static io.auditpipe.emulator.RawHttp2.PREFACE;
import static io.auditpipe.emulator.RawHttp2.RST_STREAM;
import static io.auditpipe.emulator.RawHttp2.SETTINGS;
import static io.auditpipe.emulator.RawHttp2.frame;
import static io.auditpipe.emulator.RawHttp2.headerBlock;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.emulator.tls.TlsSettings;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.hpack.HpackDecoder;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An encoded NUL in a path segment over HTTP/2 is part of the identifier, as over HTTP/1.1 ({@code
 * ApiAnswersTest}): the route answers, not Jetty's 400 "Invalid URI". The JDK client sends {@code
 * %00} as given, but over http only after an h2c upgrade, so the prior-knowledge case writes its
 * frames by hand (literal HPACK headers) and decodes the answer's headers with Jetty's decoder.
 */
class EncodedNulOverHttp2Test {

  @AutoClose static final WorkOsEmulator workos = WorkOsEmulator.builder().noRateLimit().start();

  private static final String UNKNOWN = "/organizations/external_id/a%00b";
  private static final String UNKNOWN_MESSAGE =
      "Organization not found with external ID: 'a\u0000b'.";

  @TempDir Path dir;

  @BeforeEach
  void resetEmulator() {
    workos.reset();
  }

  @Test
  void priorKnowledgeH2c() throws Exception {
    Answer unknown = priorKnowledgeGet(UNKNOWN);

    assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
    assertThat(Http.MAPPER.readTree(unknown.body()).path("message").asText())
        .isEqualTo(UNKNOWN_MESSAGE);

    workos.addOrganization("org_nul", "Nul", Optional.of("a\u0000b"));
    Answer known = priorKnowledgeGet(UNKNOWN);

    assertThat(known.status()).as(known.body()).isEqualTo(200);
    assertThat(Http.MAPPER.readTree(known.body()).path("id").asText()).isEqualTo("org_nul");
    assertThat(workos.counters().requests("h2c")).isEqualTo(2);
  }

  @Test
  void h2cAfterAnUpgrade() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    // The first request upgrades the connection (and is HTTP/1.1 to Jetty); the next is HTTP/2.
    get(client, workos.baseUrl(), "/organizations/external_id/upgrade");

    HttpResponse<String> r = get(client, workos.baseUrl(), UNKNOWN);

    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertNotFound(r);
  }

  @Test
  void h2OverTls() throws Exception {
    Path pem = dir.resolve("emulator.pem");
    try (WorkOsEmulator tls =
        WorkOsEmulator.builder().noRateLimit().tls(TlsSettings.selfSigned(pem)).start()) {
      HttpResponse<String> r =
          get(TlsTest.client(pem, HttpClient.Version.HTTP_2), tls.baseUrl(), UNKNOWN);

      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertNotFound(r);
      assertThat(tls.counters().requests("h2")).isEqualTo(1);
    }
  }

  private static void assertNotFound(HttpResponse<String> r) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
    JsonNode body = Http.MAPPER.readTree(r.body());
    assertThat(body.path("message").asText()).isEqualTo(UNKNOWN_MESSAGE);
  }

  private static HttpResponse<String> get(HttpClient client, URI base, String path)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + workos.apiKey())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private record Answer(int status, String body) {}

  /** A GET on a new connection that starts with the HTTP/2 preface: no upgrade, no ALPN. */
  private static Answer priorKnowledgeGet(String path) throws IOException {
    URI base = workos.baseUrl();
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(PREFACE);
      frame(out, SETTINGS, 0, 0, new byte[0]);
      Map<String, String> h = new LinkedHashMap<>();
      h.put(":method", "GET");
      h.put(":scheme", "http");
      h.put(":path", path);
      h.put(":authority", base.getAuthority());
      h.put("authorization", "Bearer " + workos.apiKey());
      frame(out, HEADERS, END_HEADERS | END_STREAM, 1, headerBlock(h));
      out.flush();

      DataInputStream in = new DataInputStream(socket.getInputStream());
      HpackDecoder decoder = new HpackDecoder(64 * 1024, System::nanoTime);
      int status = 0;
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        byte[] header = new byte[9];
        in.readFully(header);
        int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
        int type = header[3];
        int flags = header[4];
        int stream =
            ((header[5] & 0x7f) << 24)
                | ((header[6] & 0xff) << 16)
                | ((header[7] & 0xff) << 8)
                | (header[8] & 0xff);
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == RST_STREAM || type == GOAWAY) {
          throw new IOException("the server ended the exchange (frame type " + type + ")");
        }
        if (stream != 1) {
          continue;
        }
        if (type == HEADERS) {
          MetaData.Response response = (MetaData.Response) decoder.decode(ByteBuffer.wrap(payload));
          status = response.getStatus();
        } else if (type == DATA) {
          body.write(payload);
        }
        if ((flags & END_STREAM) != 0) {
          return new Answer(status, body.toString(UTF_8));
        }
      }
    } catch (org.eclipse.jetty.http2.hpack.HpackException e) {
      throw new IOException("cannot decode the answer's headers", e);
    }
  }
}
