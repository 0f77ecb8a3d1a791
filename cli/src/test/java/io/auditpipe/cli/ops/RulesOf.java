package io.auditpipe.cli.ops;

import java.nio.file.Files;
import java.nio.file.Path;

/** The rules documents of {@code examples/}, found from the module directory tests run in. */
final class RulesOf {

  private RulesOf() {}

  static Path example(String name) {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path rules = p.resolve("examples").resolve(name).resolve("rules.json");
      if (Files.isRegularFile(rules)) {
        return rules;
      }
    }
    throw new IllegalStateException("no examples/" + name + "/rules.json above the module");
  }
}
