package io.auditpipe.cli.local;

import java.net.URI;
import java.util.Optional;

/** Where a local run delivers: the embedded emulator, or a real WorkOS given by URL and key. */
interface LocalWorkOs extends AutoCloseable {

  /** The base URL the connector posts to. */
  URI baseUrl();

  /**
   * How the connector config refers to the API key: a ConfigProvider reference resolved by the
   * worker, never the key itself.
   */
  String apiKeyReference();

  /** A page a person can open to see the events, if there is one. */
  Optional<URI> page();

  @Override
  void close();
}
