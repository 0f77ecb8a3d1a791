package io.auditpipe.workos.http;

import static java.net.http.HttpClient.Version.HTTP_1_1;
import static java.net.http.HttpClient.Version.HTTP_2;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

class CleartextUpgradeTest {

  private final AtomicInteger probes = new AtomicInteger();
  private CompletableFuture<HttpResponse<Void>> answer = new CompletableFuture<>();
  private final CleartextUpgrade upgrade =
      new CleartextUpgrade(
          () -> {
            probes.incrementAndGet();
            return answer;
          });

  @Test
  void requestsAskForHttp11UntilTheProbeIsAnsweredInHttp2() {
    assertThat(upgrade.version()).isEqualTo(HTTP_1_1);
    assertThat(upgrade.version()).isEqualTo(HTTP_1_1);
    assertThat(probes).hasValue(1);

    answer.complete(response(HTTP_2));

    assertThat(upgrade.version()).isEqualTo(HTTP_2);
    assertThat(probes).hasValue(1);
  }

  @Test
  void aServerWithoutH2cIsNotProbedAgain() {
    upgrade.version();
    answer.complete(response(HTTP_1_1));

    for (int i = 0; i < 5; i++) {
      assertThat(upgrade.version()).isEqualTo(HTTP_1_1);
    }
    assertThat(probes).hasValue(1);
  }

  @Test
  void anHttp11AnswerToAnHttp2RequestStartsAnotherProbe() {
    upgrade.version();
    answer.complete(response(HTTP_2));
    upgrade.answered(HTTP_2, HTTP_2);
    upgrade.answered(HTTP_1_1, HTTP_1_1);
    assertThat(upgrade.version()).isEqualTo(HTTP_2);

    answer = new CompletableFuture<>();
    upgrade.answered(HTTP_2, HTTP_1_1);

    assertThat(upgrade.version()).isEqualTo(HTTP_1_1);
    assertThat(probes).hasValue(2);
  }

  @Test
  void aFailedProbeIsRetriedOnlyAfterAPause() {
    upgrade.version();
    answer.completeExceptionally(new IOException("connection refused"));

    assertThat(upgrade.version()).isEqualTo(HTTP_1_1);
    assertThat(probes).hasValue(1);
  }

  private static HttpResponse<Void> response(HttpClient.Version version) {
    return new HttpResponse<>() {
      @Override
      public int statusCode() {
        return 404;
      }

      @Override
      public HttpRequest request() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).build();
      }

      @Override
      public Optional<HttpResponse<Void>> previousResponse() {
        return Optional.empty();
      }

      @Override
      public HttpHeaders headers() {
        return HttpHeaders.of(Map.of(), (k, v) -> true);
      }

      @Override
      public Void body() {
        return null;
      }

      @Override
      public Optional<SSLSession> sslSession() {
        return Optional.empty();
      }

      @Override
      public URI uri() {
        return URI.create("http://127.0.0.1/");
      }

      @Override
      public HttpClient.Version version() {
        return version;
      }
    };
  }
}
