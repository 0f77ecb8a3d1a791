package io.auditpipe.core.rules;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every golden case compiled, with its inputs: a corpus for property and concurrency tests. */
final class GoldenCorpus {

  /** One compiled golden document and its input records. */
  record Entry(String name, CompiledRules rules, List<GoldenCase.Input> inputs) {}

  static List<Entry> load() throws IOException, URISyntaxException, RulesValidationException {
    Path root = Paths.get(GoldenCorpus.class.getResource("/golden").toURI());
    List<Entry> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        out.add(
            new Entry(
                dir.getFileName().toString(),
                RulesCompiler.compile(
                    GoldenCase.read(dir.resolve("rules.json")),
                    GoldenTest.RESOLVER,
                    GoldenTest.CLOCK),
                GoldenCase.inputs(dir.resolve("input.jsonl"))));
      }
    }
    return out;
  }

  private GoldenCorpus() {}
}
