package io.auditpipe.cli.ops;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether any bootstrap server accepts a TCP connection, checked before a Kafka client is made: a
 * client retries a dead address until its timeout runs out, while a refused or unresolvable address
 * is known at once.
 */
final class KafkaReachability {

  private KafkaReachability() {}

  /**
   * Empty when at least one of {@code bootstrapServers} ({@code host:port,…}) accepts a connection
   * within {@code timeout}; otherwise why none does, one reason per server.
   */
  static Optional<String> problem(String bootstrapServers, Duration timeout) {
    List<String> reasons = new ArrayList<>();
    for (String server : bootstrapServers.split(",", -1)) {
      String address = server.strip();
      if (address.isEmpty()) {
        continue;
      }
      int colon = address.lastIndexOf(':');
      if (colon <= 0 || colon == address.length() - 1) {
        reasons.add(address + ": expected HOST:PORT");
        continue;
      }
      String host = address.substring(0, colon).replace("[", "").replace("]", "");
      int port;
      try {
        port = Integer.parseInt(address.substring(colon + 1));
      } catch (NumberFormatException e) {
        reasons.add(address + ": expected HOST:PORT");
        continue;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        return Optional.empty();
      } catch (UnknownHostException e) {
        reasons.add(address + ": unknown host");
      } catch (SocketTimeoutException e) {
        reasons.add(address + ": no answer in " + timeout.toSeconds() + " s");
      } catch (ConnectException e) {
        reasons.add(address + ": connection refused");
      } catch (IOException | IllegalArgumentException e) {
        reasons.add(address + ": cannot connect");
      }
    }
    if (reasons.isEmpty()) {
      return Optional.of("--bootstrap-servers: expected HOST:PORT, found none");
    }
    return Optional.of(
        "cannot reach Kafka at " + String.join(", ", reasons) + " (is it running there?)");
  }
}
