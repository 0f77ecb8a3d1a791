package io.auditpipe.cli.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The auditpipe connector's plugin archive as the connector module builds it ({@code
 * connector/target/*.zip}), unpacked into a fresh {@code plugin.path} directory: a local run loads
 * the connector exactly as a deployed Connect worker does, never from the command's own classpath.
 */
final class PluginArchive {

  /** The connector class the archive provides. */
  static final String CONNECTOR_CLASS = "io.auditpipe.connect.WorkOsSinkConnector";

  private PluginArchive() {}

  /**
   * Unpacks the newest plugin archive into {@code pluginPath} (emptied first) and returns it.
   *
   * @throws IllegalStateException when there is no archive: the connector module is not built
   */
  static Path unpackInto(Path pluginPath) {
    Path archive =
        find()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the connector's plugin archive (connector/target/*-plugin.zip, or plugins/ in the"
                            + " release archive) was not found;"
                            + " build it with: mvn -B -DskipTests package -pl connector -am"
                            + " (or pass --plugin-path)"));
    try {
      DataDirectories.deleteRecursively(pluginPath);
      String name = archive.getFileName().toString().replaceFirst("\\.zip$", "");
      Path target = Files.createDirectories(pluginPath.resolve(name));
      unzip(archive, target);
      return pluginPath;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + archive + " into " + pluginPath, e);
    }
  }

  /**
   * The newest {@code *-plugin.zip}: from a checkout {@code connector/target}, from the release
   * archive its {@code plugins/} directory (beside {@code lib/}, where the running jar is).
   */
  static Optional<Path> find() {
    Optional<Path> fromCheckout =
        Examples.repositoryRoot().flatMap(root -> newestIn(root.resolve("connector/target")));
    return fromCheckout.or(
        () -> Examples.releaseRoot().flatMap(r -> newestIn(r.resolve("plugins"))));
  }

  private static Optional<Path> newestIn(Path directory) {
    if (!Files.isDirectory(directory)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith("-plugin.zip"))
          .max(Comparator.comparing(PluginArchive::modified));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static void unzip(Path archive, Path target) throws IOException {
    try (InputStream in = Files.newInputStream(archive);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        Path out = target.resolve(entry.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new IOException(archive + ": entry " + entry.getName() + " points outside");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
