package io.auditpipe.workos.http;

import io.auditpipe.workos.ApiKey;
import io.auditpipe.workos.WorkOsClientConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The HTTP side shared by every WorkOS call: one JDK {@link HttpClient} and requests that carry the
 * bearer key, the {@code User-Agent} and JSON headers. With {@link HttpClient.Version#HTTP_2},
 * HTTP/2 is used when the server offers it — negotiated by ALPN over https, by an h2c upgrade over
 * plain http (see {@link CleartextUpgrade}) — and HTTP/1.1 with keep-alive otherwise; all requests
 * then share one multiplexed connection instead of one connection per request in flight.
 */
public final class WorkOsHttp {

  /** The response header WorkOS identifies each request with. */
  public static final String REQUEST_ID = "X-Request-Id";

  private final HttpClient client;
  private final URI baseUrl;
  private final String authorization;
  private final String userAgent;
  private final Duration requestTimeout;
  private final Optional<CleartextUpgrade> upgrade;

  /**
   * @param version {@link HttpClient.Version#HTTP_2} for HTTP/2 when the server offers it, {@link
   *     HttpClient.Version#HTTP_1_1} to never try
   */
  private WorkOsHttp(
      URI baseUrl,
      ApiKey apiKey,
      String userAgent,
      HttpClient.Version version,
      Duration connectTimeout,
      Duration requestTimeout,
      Executor executor) {
    this.baseUrl = baseUrl;
    this.authorization = "Bearer " + apiKey.reveal();
    this.userAgent = userAgent;
    this.requestTimeout = requestTimeout;
    this.client =
        HttpClient.newBuilder()
            .version(version)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
    boolean cleartext = baseUrl.getScheme().toLowerCase(Locale.ROOT).equals("http");
    this.upgrade =
        cleartext && version == HttpClient.Version.HTTP_2
            ? Optional.of(new CleartextUpgrade(this::probe))
            : Optional.empty();
  }

  /** The HTTP side for {@code config}'s URL, key, user agent, version and timeouts. */
  public static WorkOsHttp of(WorkOsClientConfig config, Executor executor) {
    return new WorkOsHttp(
        config.baseUrl(),
        config.apiKey(),
        config.userAgent(),
        config.httpVersion(),
        config.connectTimeout(),
        config.requestTimeout(),
        executor);
  }

  /** The underlying client. */
  public HttpClient client() {
    return client;
  }

  /** The absolute URI of an API path such as {@code /audit_logs/events}. */
  public URI uri(String path) {
    return URI.create(baseUrl + path);
  }

  /** A request builder for {@code path} with the authorization, user-agent and accept headers. */
  public HttpRequest.Builder request(String path) {
    return request(uri(path));
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Authorization", authorization)
            .header("User-Agent", userAgent)
            .header("Accept", "application/json");
    upgrade.ifPresent(u -> b.version(u.version()));
    return b;
  }

  /**
   * Notes which protocol answered a request built here, so that a lost h2c connection is upgraded
   * again.
   */
  public void answered(HttpResponse<?> response) {
    upgrade.ifPresent(
        u -> u.answered(response.request().version().orElse(client.version()), response.version()));
  }

  /**
   * The h2c upgrade: a bodiless {@code HEAD /} (an upgrade on a request with a body is declined).
   */
  private CompletableFuture<HttpResponse<Void>> probe() {
    HttpRequest head =
        HttpRequest.newBuilder(uri("/"))
            .timeout(requestTimeout)
            .header("User-Agent", userAgent)
            .version(HttpClient.Version.HTTP_2)
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build();
    return client.sendAsync(head, HttpResponse.BodyHandlers.discarding());
  }

  /** A request for an absolute URL (an export's download link): no authorization header. */
  public HttpRequest.Builder unauthenticated(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(requestTimeout).header("User-Agent", userAgent);
  }

  /** A JSON {@code POST} of {@code body} to {@code path}. */
  public HttpRequest.Builder postJson(String path, byte[] body) {
    return postJson(uri(path), body);
  }

  /**
   * A JSON {@code POST} of {@code body} to an API {@code uri} from {@link #uri(String)}: callers
   * that post to one path many times resolve it once, as parsing a URI per request shows in
   * profiles.
   */
  public HttpRequest.Builder postJson(URI uri, byte[] body) {
    return request(uri)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  /** The {@code X-Request-Id} of a response, when present. */
  public static Optional<String> requestId(HttpResponse<?> response) {
    return response.headers().firstValue(REQUEST_ID);
  }

  /** Whether {@code status} is 2xx. */
  public static boolean isSuccess(int status) {
    return status >= 200 && status < 300;
  }

  /**
   * A body handler that reads error bodies into bytes and discards success bodies: delivery only
   * needs the body of an answer that is not 2xx.
   */
  public static HttpResponse.BodyHandler<byte[]> errorBodyOnly() {
    return info ->
        isSuccess(info.statusCode())
            ? HttpResponse.BodySubscribers.replacing(EMPTY)
            : HttpResponse.BodySubscribers.ofByteArray();
  }

  private static final byte[] EMPTY = new byte[0];
}
