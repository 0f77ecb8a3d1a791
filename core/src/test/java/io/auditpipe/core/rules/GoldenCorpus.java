package io.auditpipe.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

  /**
   * A record's JSON bytes to map with {@code entry}'s rules; {@code source} says where it came
   * from.
   */
  // A test carrier; samples are never compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  record Sample(Entry entry, byte[] bytes, RecordContext context, String source) {}

  /**
   * For every document: the golden inputs of every case, then {@code randomPerDocument} random
   * documents shaped like its own inputs.
   */
  static List<Sample> samples(List<Entry> corpus, Random random, int randomPerDocument)
      throws IOException {
    List<Sample> out = new ArrayList<>();
    for (Entry entry : corpus) {
      for (Entry source : corpus) {
        for (GoldenCase.Input input : source.inputs()) {
          out.add(new Sample(entry, GoldenCase.bytes(input), input.context(), source.name()));
        }
      }
      for (int i = 0; i < randomPerDocument; i++) {
        GoldenCase.Input template = entry.inputs().get(random.nextInt(entry.inputs().size()));
        JsonNode value = GenerativeMappingTest.randomDocument(random, template.value());
        out.add(
            new Sample(
                entry, GoldenCase.MAPPER.writeValueAsBytes(value), template.context(), "random"));
      }
    }
    return out;
  }

  private GoldenCorpus() {}
}
