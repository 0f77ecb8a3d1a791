package io.auditpipe.workos.http;

import io.auditpipe.workos.ApiKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The HTTP side shared by every WorkOS call: one JDK {@link HttpClient} (keep-alive connection
 * pool; HTTP/2 negotiated by ALPN over https, HTTP/1.1 over plain http where h2c upgrades would
 * only cost a round trip) and requests that carry the bearer key, the {@code User-Agent} and JSON
 * headers.
 */
public final class WorkOsHttp {

  /** The response header WorkOS identifies each request with. */
  public static final String REQUEST_ID = "X-Request-Id";

  private final HttpClient client;
  private final URI baseUrl;
  private final String authorization;
  private final String userAgent;
  private final Duration requestTimeout;

  public WorkOsHttp(
      URI baseUrl,
      ApiKey apiKey,
      String userAgent,
      Duration connectTimeout,
      Duration requestTimeout,
      Executor executor) {
    this.baseUrl = baseUrl;
    this.authorization = "Bearer " + apiKey.reveal();
    this.userAgent = userAgent;
    this.requestTimeout = requestTimeout;
    boolean tls = baseUrl.getScheme().toLowerCase(Locale.ROOT).equals("https");
    this.client =
        HttpClient.newBuilder()
            .version(tls ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
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
    return HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .header("Authorization", authorization)
        .header("User-Agent", userAgent)
        .header("Accept", "application/json");
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
