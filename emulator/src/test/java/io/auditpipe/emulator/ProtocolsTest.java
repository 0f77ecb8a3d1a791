package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static io.auditpipe.emulator.Http.event;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator speaks HTTP/1.1 and cleartext HTTP/2 (h2c) on one port. */
class ProtocolsTest {

  @AutoClose static final WorkOsEmulator workos = WorkOsEmulator.builder().noRateLimit().start();

  @BeforeEach
  void resetEmulator() {
    workos.reset();
  }

  @Test
  void http11ClientsAreAnsweredInHttp11() throws Exception {
    HttpClient client = client(HttpClient.Version.HTTP_1_1);

    HttpResponse<String> r = client.send(post("k-1"), HttpResponse.BodyHandlers.ofString());

    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(workos.events(ORG)).hasSize(1);
    assertThat(workos.counters().requests("HTTP/1.1")).isEqualTo(1);
    assertThat(workos.counters().requests("HTTP/2.0")).isZero();
  }

  @Test
  void aBodilessRequestUpgradesToH2cAndLaterPostsUseIt() throws Exception {
    HttpClient client = client(HttpClient.Version.HTTP_2);

    HttpResponse<Void> probe =
        client.send(
            HttpRequest.newBuilder(workos.baseUrl().resolve("/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    HttpResponse<String> r1 = client.send(post("k-1"), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> r2 = client.send(post("k-2"), HttpResponse.BodyHandlers.ofString());

    assertThat(probe.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r1.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r1.statusCode()).isEqualTo(201);
    assertThat(r1.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(r2.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(workos.events(ORG)).hasSize(2);
    assertThat(workos.counters().requests(201)).isEqualTo(2);
    // The probe went to the page at "/", which is not an API request.
    assertThat(workos.counters().requests("HTTP/2.0")).isEqualTo(2);
    assertThat(workos.counters().requests("HTTP/1.1")).isZero();
  }

  /**
   * Jetty declines an h2c upgrade offered on a request with a body and answers it in HTTP/1.1 —
   * which is why a client wanting HTTP/2 over cleartext upgrades with a bodiless request first.
   */
  @Test
  void anUpgradeOfferedOnAPostIsAnsweredInHttp11() throws Exception {
    HttpClient client = client(HttpClient.Version.HTTP_2);

    HttpResponse<String> r = client.send(post("k-1"), HttpResponse.BodyHandlers.ofString());

    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(workos.events(ORG)).hasSize(1);
  }

  @Test
  void priorKnowledgeH2cIsAnsweredWithServerSettings() throws Exception {
    URI base = workos.baseUrl();
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(US_ASCII));
      // An empty SETTINGS frame: length 0, type 0x4, no flags, stream 0.
      out.write(new byte[] {0, 0, 0, 0x4, 0, 0, 0, 0, 0});
      out.flush();

      byte[] header = new byte[9];
      new DataInputStream(socket.getInputStream()).readFully(header);

      assertThat(header[3]).as("frame type (0x4 = SETTINGS)").isEqualTo((byte) 0x4);
      assertThat(header[4] & 0x1).as("ACK flag").isZero();
    }
  }

  private static HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpRequest post(String idempotencyKey) {
    return HttpRequest.newBuilder(workos.baseUrl().resolve("/audit_logs/events"))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + workos.apiKey())
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString(event(ORG, "user.signed_in")))
        .build();
  }
}
