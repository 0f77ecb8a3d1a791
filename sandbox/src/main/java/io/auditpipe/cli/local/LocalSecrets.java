package io.auditpipe.cli.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * How a local run hands the API key to the connector: the way the docs tell users to, through a
 * worker ConfigProvider, so the key never appears in the connector config.
 */
final class LocalSecrets {

  private LocalSecrets() {}

  /** The worker properties enabling the {@code env} and {@code file} ConfigProviders. */
  static Map<String, String> workerProviders() {
    return Map.of(
        "config.providers", "env,file",
        "config.providers.env.class",
            "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
        "config.providers.file.class",
            "org.apache.kafka.common.config.provider.FileConfigProvider");
  }

  /**
   * Writes {@code apiKey} to {@code secrets/workos.properties} under {@code dataDir}, readable by
   * the owner only, and returns the {@code ${file:…}} reference to it.
   */
  static String writeKeyFile(Path dataDir, String apiKey) throws IOException {
    Path dir = Files.createDirectories(dataDir.resolve("secrets"));
    Path file = dir.resolve("workos.properties");
    Files.deleteIfExists(file);
    Files.createFile(file);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the data directory's own permissions apply.
    }
    Files.writeString(file, "api.key=" + apiKey + "\n", StandardCharsets.UTF_8);
    return "${file:" + file + ":api.key}";
  }
}
