package io.auditpipe.workos.http;

import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.egress.ClientCertificateRequests;
import io.auditpipe.workos.egress.KeyStores;
import io.auditpipe.workos.egress.ProxySettings;
import io.auditpipe.workos.egress.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManager;
import org.eclipse.jetty.client.BasicAuthentication;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The transport of every WorkOS call: one Jetty {@link HttpClient} and requests that carry the
 * bearer key, the {@code User-Agent} and JSON headers. One exchange per call, no retries (those are
 * the engine's). With HTTP/2, every request shares one multiplexed connection: negotiated by ALPN
 * over https, by prior knowledge (h2c) over plain http; HTTP/1.1 with keep-alive otherwise.
 */
public final class WorkOsHttp implements AutoCloseable {

  /** The response header WorkOS identifies each request with. */
  public static final String REQUEST_ID = "X-Request-Id";

  /** Error and API bodies are small; anything larger is not WorkOS's. */
  private static final int MAX_BODY = 16 * 1024 * 1024;

  private final HttpClient client;
  private final URI baseUrl;
  private final HttpField authorization;
  private final long requestTimeoutMillis;

  private final ClientCertificateRequests certificateRequests = new ClientCertificateRequests();

  private WorkOsHttp(WorkOsClientConfig config) {
    this.baseUrl = config.baseUrl();
    this.authorization =
        new HttpField(HttpHeader.AUTHORIZATION, "Bearer " + config.apiKey().reveal());
    this.requestTimeoutMillis = config.requestTimeout().toMillis();

    QueuedThreadPool threads = new QueuedThreadPool(8, 2);
    threads.setName("auditpipe-workos-http");
    threads.setDaemon(true);
    // No reserved threads: with one, Jetty's selector hands each readable connection to a reserved
    // thread and parks itself, several thread wake-ups per answer. At WorkOS's ~100 requests/s
    // those wake-ups, not the work, were most of the client's CPU (4.4 runs of a pool thread per
    // event; 1.0 without; bench/README.md, delivery part 2). Work Jetty knows may block is still
    // dispatched to the pool; the rest, short, runs on the selector thread.
    threads.setReservedThreads(0);
    ClientConnector connector = new ClientConnector();
    connector.setSelectors(1);
    connector.setExecutor(threads);
    connector.setSslContextFactory(tls(config, certificateRequests));
    boolean http2 = config.httpVersion() == Version.HTTP_2;
    ClientConnectionFactory.Info[] protocols =
        http2
            ? new ClientConnectionFactory.Info[] {
              new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector)),
              HttpClientConnectionFactory.HTTP11
            }
            : new ClientConnectionFactory.Info[] {HttpClientConnectionFactory.HTTP11};
    HttpClientTransportDynamic transport = new HttpClientTransportDynamic(connector, protocols);
    // HTTP/2: one connection carries every request (left to itself, the pool opens a connection per
    // request waiting while the first is still connecting: up to 64). HTTP/1.1: one per request in
    // flight. A server that declines h2 by ALPN then gets one HTTP/1.1 connection: use HTTP_1_1.
    int maxConnections = http2 ? 1 : config.maxInFlight();
    this.client = new HttpClient(transport);
    client.setExecutor(threads);
    client.setScheduler(new ScheduledExecutorScheduler("auditpipe-workos-http-timer", true));
    client.setMaxConnectionsPerDestination(maxConnections);
    // Requests past the server's stream limit wait in the destination's queue; past its bound they
    // would be refused. The callers' in-flight bound keeps them below it.
    client.setMaxRequestsQueuedPerDestination(Math.max(1024, 2 * config.maxInFlight()));
    client.setConnectTimeout(config.connectTimeout().toMillis());
    client.setFollowRedirects(false);
    // WorkOS sets no cookies: without a store, no request is matched against one.
    client.setHttpCookieStore(new HttpCookieStore.Empty());
    client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, config.userAgent()));
    config.proxy().ifPresent(this::proxy);
    try {
      client.start();
      // Every answer, 401 and 407 included, goes to the engine's classification: Jetty's protocol
      // handlers (installed by start) would turn a challenge into a failure of their own.
      client.getProtocolHandlers().clear();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start the HTTP client: " + e.getClass().getSimpleName(), e);
    }
  }

  /** The transport for {@code config}'s URL, key, user agent, version, timeouts, proxy and TLS. */
  public static WorkOsHttp of(WorkOsClientConfig config) {
    return new WorkOsHttp(config);
  }

  private static SslContextFactory.Client tls(
      WorkOsClientConfig config, ClientCertificateRequests requests) {
    SslContextFactory.Client tls =
        new SslContextFactory.Client() {
          @Override
          protected KeyManager[] getKeyManagers(KeyStore keyStore) throws Exception {
            return requests.watch(super.getKeyManagers(keyStore));
          }
        };
    config.trustStore().ifPresent(t -> tls.setTrustStore(KeyStores.trustStore(t)));
    config
        .keyStore()
        .ifPresent(
            k -> {
              tls.setKeyStore(KeyStores.keyStore(k));
              k.password().map(Secret::reveal).ifPresent(tls::setKeyManagerPassword);
              if (k.password().isEmpty()) {
                tls.setKeyManagerPassword("");
              }
            });
    return tls;
  }

  private void proxy(ProxySettings proxy) {
    // The hop to the proxy is HTTP/1.1 (what proxies speak); https goes through a CONNECT tunnel
    // inside which ALPN still negotiates h2 with WorkOS.
    client
        .getProxyConfiguration()
        .addProxy(
            new HttpProxy(
                new Origin.Address(proxy.url().getHost(), proxy.port()),
                false,
                new Origin.Protocol(List.of("http/1.1"), false)));
    if (proxy.username().isPresent()) {
      URI proxyUri = URI.create("http://" + proxy.url().getHost() + ":" + proxy.port());
      client
          .getAuthenticationStore()
          .addAuthenticationResult(
              new BasicAuthentication.BasicResult(
                  proxyUri,
                  HttpHeader.PROXY_AUTHORIZATION,
                  proxy.username().get(),
                  proxy.password().map(Secret::reveal).orElse("")));
    }
  }

  /**
   * Whether a server asked for a client certificate and has not answered since: a connection it
   * then closed may have refused the certificate.
   */
  public boolean clientCertificateUnanswered() {
    return certificateRequests.unanswered();
  }

  /** The absolute URI of an API path such as {@code /audit_logs/events}. */
  public URI uri(String path) {
    return URI.create(baseUrl + path);
  }

  /** An authenticated API request; the timeout covers the whole exchange, body included. */
  public Request request(HttpMethod method, URI uri, Optional<byte[]> json) {
    Request r =
        client
            .newRequest(uri)
            .method(method)
            .timeout(requestTimeoutMillis, TimeUnit.MILLISECONDS)
            .headers(h -> h.put(authorization).put(HttpHeader.ACCEPT, "application/json"));
    json.ifPresent(b -> r.body(new BytesRequestContent("application/json", b)));
    return r;
  }

  /**
   * Sends {@code request} once. The future completes with the answer, or exceptionally with what
   * ended the exchange (an I/O error, the request timeout as {@link TimeoutException}, a proxy's
   * refusal of the tunnel as {@link org.eclipse.jetty.client.HttpResponseException}).
   *
   * @param successBody whether a 2xx answer's body is kept (error bodies always are)
   */
  public CompletableFuture<Answer> send(Request request, boolean successBody) {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    request.send(
        new BufferingResponseListener(MAX_BODY) {
          @Override
          public void onComplete(Result result) {
            if (result.isFailed()) {
              answer.completeExceptionally(result.getFailure());
              return;
            }
            certificateRequests.answered();
            Response r = result.getResponse();
            int status = r.getStatus();
            boolean keep = successBody || status < 200 || status >= 300;
            answer.complete(
                new Answer(
                    status,
                    Optional.ofNullable(r.getHeaders().get(REQUEST_ID)),
                    Optional.ofNullable(r.getHeaders().get(HttpHeader.RETRY_AFTER)),
                    keep ? getContent() : EMPTY));
          }
        });
    return answer;
  }

  /**
   * Downloads {@code url} (an export's presigned link: no authorization header) to {@code target},
   * replacing it. Blocking.
   *
   * @return the status; {@code target} is written only for 2xx
   */
  public int download(URI url, Path target)
      throws IOException, InterruptedException, TimeoutException {
    InputStreamResponseListener listener = new InputStreamResponseListener();
    client
        .newRequest(url)
        .method(HttpMethod.GET)
        .idleTimeout(requestTimeoutMillis, TimeUnit.MILLISECONDS)
        .send(listener);
    Response response;
    try {
      response = listener.get(requestTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
    try (InputStream in = listener.getInputStream()) {
      if (response.getStatus() / 100 == 2) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      } else {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
    return response.getStatus();
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      // stopping is best effort: the threads are daemons
    }
  }

  private static final byte[] EMPTY = new byte[0];
}
