package io.auditpipe.cli.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether the host of {@code --workos-url} accepts connections, checked before anything starts:
 * once running, the connector rides out an unreachable WorkOS by retrying (a WorkOS outage is
 * transient by design), so a wrong URL would otherwise show as {@code delivered 0} for ever.
 */
final class WorkOsReachability {

  private WorkOsReachability() {}

  /** Why {@code url} cannot be reached within {@code timeout}, or empty when it can. */
  static Optional<String> problem(URI url, Duration timeout) {
    String host = url.getHost();
    int port =
        url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.of("unknown host " + host);
    } catch (IOException e) {
      String reason =
          e.getMessage() == null ? "no answer" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
      return Optional.of("cannot connect to " + host + ":" + port + " (" + reason + ")");
    }
  }
}
