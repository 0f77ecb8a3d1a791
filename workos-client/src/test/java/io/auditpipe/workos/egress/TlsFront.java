package io.auditpipe.workos.egress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * TLS in front of the cleartext emulator, as WorkOS serves it: https with ALPN (h2, then http/1.1);
 * the decrypted bytes go to the emulator's port, which speaks both HTTP/1.1 and h2 by prior
 * knowledge. Counts the TLS connections and records the protocol each negotiated.
 */
public final class TlsFront implements AutoCloseable {

  private final SSLServerSocket server;
  private final int backendPort;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> protocols = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  public TlsFront(KeyStore keyStore, char[] password, int backendPort)
      throws IOException, GeneralSecurityException {
    this.backendPort = backendPort;
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, password);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server =
        (SSLServerSocket)
            ctx.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SSLParameters params = server.getSSLParameters();
    params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
    server.setSSLParameters(params);
    Thread acceptor = new Thread(this::accept, "tls-front");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code https://localhost:<port>}. */
  public URI baseUrl() {
    return URI.create("https://localhost:" + server.getLocalPort());
  }

  /** TLS connections whose handshake completed. */
  public int connections() {
    return connections.get();
  }

  /** The ALPN protocol of each connection, in order. */
  public List<String> protocols() {
    return List.copyOf(protocols);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        SSLSocket client = (SSLSocket) server.accept();
        sockets.add(client);
        Thread t = new Thread(() -> serve(client), "tls-front-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(SSLSocket client) {
    try {
      client.startHandshake();
      connections.incrementAndGet();
      protocols.add(client.getApplicationProtocol());
      Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
      sockets.add(backend);
      Thread up = new Thread(() -> pump(client, backend), "tls-front-up");
      up.setDaemon(true);
      up.start();
      pump(backend, client);
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private static void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      byte[] buf = new byte[16 * 1024];
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(TlsFront::closeQuietly);
  }
}
