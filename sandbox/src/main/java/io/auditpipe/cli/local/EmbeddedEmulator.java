package io.auditpipe.cli.local;

import io.auditpipe.emulator.WorkOsEmulator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The WorkOS emulator running in this process, with WorkOS's rate limit, a fresh API key handed to
 * the connector through a file ConfigProvider, and the organizations the rules give the samples
 * (events for any other organization get WorkOS's 404 and are dead-lettered).
 */
final class EmbeddedEmulator implements LocalWorkOs {

  private final WorkOsEmulator emulator;
  private final String apiKeyReference;

  private EmbeddedEmulator(WorkOsEmulator emulator, String apiKeyReference) {
    this.emulator = emulator;
    this.apiKeyReference = apiKeyReference;
  }

  /**
   * Starts on {@code port}, or on a free port if that one is taken.
   *
   * @param organizations organization ids to know from the start
   * @param dataDir where the API key file is written
   */
  static EmbeddedEmulator start(int port, Set<String> organizations, Path dataDir)
      throws IOException {
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    String apiKey = "sk_test_local_" + HexFormat.of().formatHex(secret);
    WorkOsEmulator emulator;
    try {
      emulator = builder(port, apiKey, organizations).start();
    } catch (RuntimeException e) {
      if (port == 0) {
        throw e;
      }
      // The port is taken (another emulator, a dev server): any free one will do.
      emulator = builder(0, apiKey, organizations).start();
    }
    return new EmbeddedEmulator(emulator, LocalSecrets.writeKeyFile(dataDir, apiKey));
  }

  private static WorkOsEmulator.Builder builder(
      int port, String apiKey, Set<String> organizations) {
    WorkOsEmulator.Builder builder = WorkOsEmulator.builder().port(port).apiKey(apiKey);
    organizations.forEach(id -> builder.organization(id, id, Optional.empty()));
    return builder;
  }

  @Override
  public URI baseUrl() {
    return emulator.baseUrl();
  }

  @Override
  public String apiKeyReference() {
    return apiKeyReference;
  }

  @Override
  public Optional<URI> page() {
    return Optional.of(emulator.baseUrl().resolve("/"));
  }

  @Override
  public void close() {
    emulator.close();
  }
}
