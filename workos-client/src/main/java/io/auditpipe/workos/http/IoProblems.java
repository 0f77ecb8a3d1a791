package io.auditpipe.workos.http;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Says in words why no answer came from a host: which host and port, and what happened (refused,
 * unknown name, no answer in time, TLS failed), instead of an exception's class name — HTTP clients
 * often throw {@code ConnectException} without a message.
 */
public final class IoProblems {

  private IoProblems() {}

  /** E.g. {@code cannot connect to api.workos.com:443: connection refused}. */
  public static String describe(Throwable failure, URI target) {
    String where = hostAndPort(target);
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "cannot resolve host " + target.getHost() + " (is the name right?)";
      }
      if (t instanceof HttpTimeoutException
          || t instanceof SocketTimeoutException
          || t instanceof TimeoutException) {
        return "no answer from " + where + " in time";
      }
      if (t instanceof NoRouteToHostException) {
        return "cannot connect to " + where + ": no route to host";
      }
      if (t instanceof ConnectException && !(t.getCause() instanceof UnresolvedAddressException)) {
        boolean refused = t.getMessage() == null || t.getMessage().contains("refused");
        if (refused && !(t.getCause() instanceof ClosedChannelException)) {
          return "cannot connect to " + where + ": connection refused (is it running?)";
        }
      }
      if (t instanceof SSLException) {
        return "TLS with " + where + " failed: " + textOf(t);
      }
      if (t instanceof EOFException || t instanceof ClosedChannelException) {
        return where + " closed the connection";
      }
      if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
        return "interrupted while talking to " + where;
      }
    }
    return "cannot talk to " + where + ": " + textOf(failure);
  }

  private static String hostAndPort(URI target) {
    int port = target.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
    }
    return target.getHost() + ":" + port;
  }

  private static String textOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        return c.getMessage();
      }
    }
    return "I/O error";
  }
}
