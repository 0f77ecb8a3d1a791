package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static io.auditpipe.emulator.Http.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --latency}: every API answer waits a drawn delay, on a timer rather than a thread. */
class LatencyTest {

  @ParameterizedTest
  @CsvSource({
    "80ms±20ms, 80, 20",
    "80ms+-20ms, 80, 20",
    "80ms +/- 20ms, 80, 20",
    "80ms, 80, 0",
    "1s±100ms, 1000, 100",
    "0ms, 0, 0"
  })
  void formats(String text, long meanMs, long spreadMs) {
    ResponseLatency l = ResponseLatency.parse(text);

    assertThat(l.mean()).isEqualTo(Duration.ofMillis(meanMs));
    assertThat(l.spread()).isEqualTo(Duration.ofMillis(spreadMs));
  }

  @ParameterizedTest
  @ValueSource(strings = {"80", "fast", "80ms±", "-5ms", "20ms±80ms"})
  void badFormatsSayWhatIsExpected(String text) {
    assertThatThrownBy(() -> ResponseLatency.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("latency: expected");
  }

  @Test
  void drawsStayWithinTheSpread() {
    ResponseLatency l = ResponseLatency.parse("80ms±20ms");
    for (int i = 0; i < 10_000; i++) {
      assertThat(l.drawMicros()).isBetween(60_000L, 100_000L);
    }
  }

  @Test
  void everyApiAnswerWaitsAtLeastTheLatencyAndManyWaitTogether() throws Exception {
    try (WorkOsEmulator workos =
        WorkOsEmulator.builder()
            .noRateLimit()
            .maxThreads(8)
            .latency(ResponseLatency.parse("300ms±50ms"))
            .start()) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest post =
          HttpRequest.newBuilder(workos.baseUrl().resolve("/audit_logs/events"))
              .header("Authorization", "Bearer " + workos.apiKey())
              .POST(HttpRequest.BodyPublishers.ofString(event(ORG, "a")))
              .build();

      long start = System.nanoTime();
      HttpResponse<String> r = client.send(post, HttpResponse.BodyHandlers.ofString());
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      // More concurrent requests than server threads: none is refused or lost.
      List<CompletableFuture<HttpResponse<String>>> many = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        many.add(client.sendAsync(post, HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> f : many) {
        assertThat(f.get().statusCode()).isEqualTo(201);
      }

      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(tookMs).isGreaterThanOrEqualTo(250);
      assertThat(workos.events(ORG)).hasSize(21);
      assertThat(workos.latency()).hasToString("300ms±50ms");
    }
  }
}
