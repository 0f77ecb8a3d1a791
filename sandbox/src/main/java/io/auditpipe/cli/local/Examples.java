package io.auditpipe.cli.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the repository's {@code examples/} files: from the working directory up, then from where
 * the running jar is ({@code sandbox/target/auditpipe-local.jar} sits two levels below the
 * repository root, {@code lib/auditpipe-local.jar} one below the release archive's).
 */
final class Examples {

  private Examples() {}

  /**
   * The file {@code relative} under {@code examples/}.
   *
   * @throws IllegalStateException naming where it looked when it is nowhere
   */
  static Path locate(String relative) {
    List<Path> starts = new ArrayList<>();
    starts.add(Path.of("").toAbsolutePath());
    codeLocation().ifPresent(starts::add);
    for (Path start : starts) {
      for (Path p = start; p != null; p = p.getParent()) {
        Path candidate = p.resolve("examples").resolve(relative);
        if (Files.isRegularFile(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "examples/"
            + relative
            + " not found above "
            + starts
            + "; run from the repository or pass"
            + " --rules and --events");
  }

  /** The repository root above the running code, when it runs from a checkout. */
  static java.util.Optional<Path> repositoryRoot() {
    List<Path> starts = new ArrayList<>();
    starts.add(Path.of("").toAbsolutePath());
    codeLocation().ifPresent(starts::add);
    for (Path start : starts) {
      for (Path p = start; p != null; p = p.getParent()) {
        if (Files.isDirectory(p.resolve("connector"))
            && Files.isRegularFile(p.resolve("pom.xml"))) {
          return java.util.Optional.of(p);
        }
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * The unpacked release archive the running jar belongs to ({@code lib/} holds the jars, beside
   * {@code plugins/} and {@code examples/}), when it runs from one.
   */
  static java.util.Optional<Path> releaseRoot() {
    return codeLocation()
        .map(Path::getParent)
        .filter(dir -> dir.getFileName() != null && dir.getFileName().toString().equals("lib"))
        .map(Path::getParent)
        .filter(root -> Files.isDirectory(root.resolve("plugins")));
  }

  private static java.util.Optional<Path> codeLocation() {
    try {
      return java.util.Optional.of(
          Path.of(Examples.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toAbsolutePath());
    } catch (URISyntaxException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }
}
