package io.auditpipe.emulator.http;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * HTTP/1.1 (and the h2c upgrade that starts as HTTP/1.1) whose request paths may carry an encoded
 * NUL. Jetty 12.0's URI parser refuses {@code %00} in a path outright — no {@link
 * org.eclipse.jetty.http.UriCompliance} mode allows it — so the emulator would answer 400 before
 * any route ran, where WorkOS answers an unknown identifier. Each path's {@code %00} is handed to
 * Jetty as {@code %C0%80} (the overlong form no conforming client sends), which {@link
 * PathSegments} decodes back to NUL. {@link EncodedNulHttp2} does the same for HTTP/2.
 */
public final class EncodedNulConnectionFactory extends HttpConnectionFactory {

  /** The stand-in Jetty sees for an encoded NUL in a path. */
  static final String NUL_STAND_IN = "%C0%80";

  public EncodedNulConnectionFactory(HttpConfiguration config) {
    super(config);
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    HttpConnection connection =
        new HttpConnection(getHttpConfiguration(), connector, endPoint) {
          @Override
          protected HttpStreamOverHTTP1 newHttpStream(
              String method, String uri, HttpVersion version) {
            return super.newHttpStream(method, maskNul(uri), version);
          }
        };
    connection.setUseInputDirectByteBuffers(isUseInputDirectByteBuffers());
    connection.setUseOutputDirectByteBuffers(isUseOutputDirectByteBuffers());
    return configure(connection, connector, endPoint);
  }

  /** {@code uri} with each {@code %00} of its path (not its query) replaced by the stand-in. */
  static String maskNul(String uri) {
    if (uri == null) {
      return null;
    }
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    if (!path.contains("%00")) {
      return uri;
    }
    return path.replace("%00", NUL_STAND_IN) + (query < 0 ? "" : uri.substring(query));
  }
}
