package io.auditpipe.emulator.http;

import java.lang.reflect.Field;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.hpack.HpackDecoder;
import org.eclipse.jetty.http2.hpack.HpackException;
import org.eclipse.jetty.http2.hpack.internal.MetaDataBuilder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.http2.server.internal.HTTP2ServerConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * HTTP/2 (h2c by prior knowledge or after an upgrade, h2 over TLS) whose {@code :path} may carry an
 * encoded NUL, as {@link EncodedNulConnectionFactory} does for HTTP/1.1.
 *
 * <p>Jetty 12.0 refuses {@code %00} while building the request from the decoded headers, before any
 * handler, customizer or listener sees it: {@code MetaDataBuilder.build()} parses {@code :path}
 * into an {@code HttpURI}, whose parser throws "Illegal character in path" for a NUL in any {@code
 * UriCompliance} mode, and the stream gets a request with an empty URI and a 400 "Invalid URI". The
 * builder is a private final field of the connection's {@link HpackDecoder}, which Jetty creates
 * itself with no factory method to override, so it is replaced here, once per connection before it
 * reads anything, by one that hands each {@code :path}'s {@code %00} to Jetty as {@link
 * EncodedNulConnectionFactory#NUL_STAND_IN}. The dynamic table keeps the header as sent. Should a
 * Jetty version lack the field, connections keep Jetty's builder (and its 400), and {@code
 * EncodedNulOverHttp2Test} fails.
 */
public final class EncodedNulHttp2 {

  private static final Optional<Field> BUILDER = builderField();

  private EncodedNulHttp2() {}

  /** Cleartext HTTP/2: by prior knowledge, or after an HTTP/1.1 upgrade. */
  public static final class Cleartext extends HTTP2CServerConnectionFactory {
    public Cleartext(HttpConfiguration config) {
      super(config);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
      return admitEncodedNul(super.newConnection(connector, endPoint));
    }
  }

  /** HTTP/2 over TLS, negotiated by ALPN. */
  public static final class Tls extends HTTP2ServerConnectionFactory {
    public Tls(HttpConfiguration config) {
      super(config);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
      return admitEncodedNul(super.newConnection(connector, endPoint));
    }
  }

  private static Connection admitEncodedNul(Connection connection) {
    if (BUILDER.isPresent() && connection instanceof HTTP2ServerConnection h2) {
      HpackDecoder decoder = h2.getSession().getParser().getHpackDecoder();
      try {
        MetaDataBuilder jettys = (MetaDataBuilder) BUILDER.get().get(decoder);
        BUILDER.get().set(decoder, new NulMaskingBuilder(jettys.getMaxSize()));
      } catch (IllegalAccessException | ClassCastException e) {
        // Jetty's builder stays: an encoded NUL gets its 400, as without this class.
      }
    }
    return connection;
  }

  private static Optional<Field> builderField() {
    try {
      Field f = HpackDecoder.class.getDeclaredField("_builder");
      if (!f.getType().equals(MetaDataBuilder.class)) {
        return Optional.empty();
      }
      f.setAccessible(true);
      return Optional.of(f);
    } catch (NoSuchFieldException | RuntimeException e) {
      // RuntimeException: InaccessibleObjectException or SecurityException from setAccessible.
      return Optional.empty();
    }
  }

  private static final class NulMaskingBuilder extends MetaDataBuilder {
    NulMaskingBuilder(int maxHeadersSize) {
      super(maxHeadersSize);
    }

    @Override
    public void emit(HttpField field) throws HpackException.SessionException {
      if (field.getHeader() == HttpHeader.C_PATH && field.getValue() != null) {
        String masked = EncodedNulConnectionFactory.maskNul(field.getValue());
        if (!masked.equals(field.getValue())) {
          super.emit(new HttpField(HttpHeader.C_PATH, masked));
          return;
        }
      }
      super.emit(field);
    }
  }
}
