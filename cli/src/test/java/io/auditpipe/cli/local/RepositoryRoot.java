package io.auditpipe.cli.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** The reactor root, found from the module directory Surefire and Failsafe run in. */
final class RepositoryRoot {

  private RepositoryRoot() {}

  static Path locate() {
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no reactor root with examples/ above " + start);
  }
}
