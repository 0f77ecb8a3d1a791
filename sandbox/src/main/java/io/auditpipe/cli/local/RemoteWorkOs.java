package io.auditpipe.cli.local;

import java.net.URI;
import java.util.Optional;

/**
 * A real WorkOS (or any compatible endpoint) given by {@code --workos-url}; the API key stays in
 * the {@code WORKOS_API_KEY} environment variable, read by the worker's EnvVarConfigProvider.
 */
record RemoteWorkOs(URI baseUrl) implements LocalWorkOs {

  static final String API_KEY_ENV = "WORKOS_API_KEY";

  @Override
  public String apiKeyReference() {
    return "${env:" + API_KEY_ENV + "}";
  }

  @Override
  public Optional<URI> page() {
    return Optional.empty();
  }

  @Override
  public void close() {}
}
