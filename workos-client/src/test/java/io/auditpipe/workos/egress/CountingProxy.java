package io.auditpipe.workos.egress;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;

/**
 * An HTTP proxy that tunnels {@code CONNECT} (Jetty's {@link ConnectHandler}), optionally requiring
 * Basic credentials, and counts the tunnels it opened and the requests it refused with 407.
 */
public final class CountingProxy implements AutoCloseable {

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);
  private final AtomicInteger tunnels = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  /** A proxy on a free loopback port; with {@code credentials} ({@code user:password}) required. */
  public CountingProxy(Optional<String> credentials) throws Exception {
    Optional<String> expected =
        credentials.map(
            c -> "Basic " + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8)));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(
        new ConnectHandler() {
          @Override
          protected boolean handleAuthentication(
              Request request, Response response, String address) {
            if (expected.isEmpty()) {
              return true;
            }
            String given = request.getHeaders().get(HttpHeader.PROXY_AUTHORIZATION);
            boolean ok = expected.get().equals(given);
            if (!ok) {
              refused.incrementAndGet();
            }
            return ok;
          }

          @Override
          protected void onConnectSuccess(ConnectContext context, UpstreamConnection upstream) {
            tunnels.incrementAndGet();
            super.onConnectSuccess(context, upstream);
          }
        });
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  /** Tunnels opened. */
  public int tunnels() {
    return tunnels.get();
  }

  /** CONNECT requests refused for missing or wrong credentials. */
  public int refused() {
    return refused.get();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
