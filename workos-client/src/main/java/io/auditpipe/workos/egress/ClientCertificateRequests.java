package io.auditpipe.workos.egress;

import java.net.Socket;
import java.security.Principal;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Whether a TLS server asked for a client certificate since the last answer.
 *
 * <p>Over TLS 1.3 a server that refuses the client certificate (or its absence) does so after the
 * client's side of the handshake is done: the request then usually meets a closed connection, and
 * the server's alert is lost with it. A closed connection after such a request is how the failure
 * can still name the client certificate.
 */
public final class ClientCertificateRequests {

  private volatile boolean unanswered;

  /**
   * {@code managers} (none when {@code null}: no client certificate) wrapped so that the server's
   * request for a certificate is noted.
   */
  public KeyManager[] watch(KeyManager[] managers) {
    if (managers == null) {
      return new KeyManager[] {new Watching(null)};
    }
    return Arrays.stream(managers)
        .map(m -> m instanceof X509ExtendedKeyManager x ? new Watching(x) : m)
        .toArray(KeyManager[]::new);
  }

  /** A server answered: a later closed connection says nothing about the certificate. */
  public void answered() {
    if (unanswered) {
      unanswered = false;
    }
  }

  /** Whether a server asked for a client certificate and no answer came since. */
  public boolean unanswered() {
    return unanswered;
  }

  private final class Watching extends SslContextFactory.X509ExtendedKeyManagerWrapper {

    Watching(X509ExtendedKeyManager delegate) {
      super(delegate);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      unanswered = true;
      return super.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      unanswered = true;
      return super.chooseEngineClientAlias(keyType, issuers, engine);
    }
  }
}
