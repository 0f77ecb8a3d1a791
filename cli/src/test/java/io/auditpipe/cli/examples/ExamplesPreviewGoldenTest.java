package io.auditpipe.cli.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.cli.AuditpipeCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every directory of {@code examples/} is a golden case: {@code auditpipe rules preview rules.json
 * --input events.jsonl $(cat preview.args)} prints exactly {@code expected.txt} (stdout and stderr
 * as they interleave on a terminal). Run with {@code -Dauditpipe.examples.update=true} to rewrite
 * the expected files after an intended change, then review the diff.
 *
 * <p>A line of {@code events.jsonl} may be a record envelope: a JSON object with a {@code value}
 * member whose members are all among {@code key} (a string is the key's text, other JSON the key's
 * JSON bytes), {@code value}, {@code headers} (name to string or null), {@code topic}, {@code
 * partition} and {@code timestamp} (epoch milliseconds or ISO-8601). Until {@code rules preview}
 * reads envelopes itself, this harness previews such a file one record at a time, giving each its
 * key, headers and coordinates through the options, at its own line number and offset, and sums the
 * summaries: the output a preview of the whole file prints.
 */
class ExamplesPreviewGoldenTest {

  private static final Path EXAMPLES = locateExamples();

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> dirs = Files.list(EXAMPLES)) {
      return dirs
          .filter(d -> Files.isRegularFile(d.resolve("rules.json")))
          .sorted()
          .toList()
          .stream();
    }
  }

  @Test
  void everyExampleIsAGoldenCase() throws IOException {
    assertThat(examples().map(d -> d.getFileName().toString()))
        .contains("app-events", "debezium", "cloudevents", "outbox");
    examples()
        .forEach(
            dir ->
                assertThat(List.of("events.jsonl", "preview.args", "expected.txt"))
                    .allSatisfy(file -> assertThat(dir.resolve(file)).isRegularFile()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void previewPrintsTheCheckedInExpectedOutput(Path dir) throws IOException {
    String actual = preview(dir);
    Path expectedFile = dir.resolve("expected.txt");
    if (Boolean.getBoolean("auditpipe.examples.update")) {
      Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
    }

    assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> ENVELOPE_MEMBERS =
      Set.of("key", "value", "headers", "topic", "partition", "timestamp");
  private static final Pattern SUMMARY =
      Pattern.compile(
          "(\\d+) record\\(s\\): (\\d+) mapped into (\\d+) event\\(s\\), (\\d+) unmatched,"
              + " (\\d+) failed, (\\d+) not JSON");

  private static String preview(Path dir) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("events.jsonl"), StandardCharsets.UTF_8);
    if (lines.stream().noneMatch(l -> envelope(l) != null)) {
      return previewFile(dir, dir.resolve("events.jsonl"), List.of());
    }
    List<String> baseArgs = previewArgs(dir);
    long offset = Long.parseLong(option(baseArgs, "--offset-start", "0"));
    StringBuilder out = new StringBuilder();
    long[] totals = new long[6];
    Set<String> warnings = new LinkedHashSet<>();
    Path tmp = Files.createTempFile("examples-preview", ".jsonl");
    try {
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isBlank()) {
          continue;
        }
        JsonNode envelope = envelope(line);
        List<String> options = new ArrayList<>(List.of("--offset-start", Long.toString(offset++)));
        String value = line;
        if (envelope != null) {
          value = MAPPER.writeValueAsString(envelope.get("value"));
          options.addAll(envelopeOptions(envelope));
        }
        // Blank lines are counted, not mapped: the record keeps its line number.
        Files.writeString(tmp, "\n".repeat(i) + value + "\n", StandardCharsets.UTF_8);
        for (String printed : previewFile(dir, tmp, options).lines().toList()) {
          Matcher m = SUMMARY.matcher(printed);
          if (m.matches()) {
            for (int k = 0; k < totals.length; k++) {
              totals[k] += Long.parseLong(m.group(k + 1));
            }
          } else if (printed.startsWith("warning: ")) {
            warnings.add(printed);
          } else {
            out.append(printed).append('\n');
          }
        }
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    StringBuilder all = new StringBuilder();
    warnings.forEach(w -> all.append(w).append('\n'));
    return all.append(out)
        .append(
            String.format(
                "%d record(s): %d mapped into %d event(s), %d unmatched, %d failed, %d not JSON%n",
                totals[0], totals[1], totals[2], totals[3], totals[4], totals[5]))
        .toString()
        .replace(System.lineSeparator(), "\n");
  }

  /** The line as a record envelope, or {@code null} when it is a plain value. */
  private static JsonNode envelope(String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (IOException e) {
      return null;
    }
    if (node == null || !node.isObject() || !node.has("value")) {
      return null;
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      if (!ENVELOPE_MEMBERS.contains(names.next())) {
        return null;
      }
    }
    return node;
  }

  /** The preview options that give one record its envelope's key, headers and coordinates. */
  private static List<String> envelopeOptions(JsonNode envelope) throws IOException {
    List<String> options = new ArrayList<>();
    JsonNode key = envelope.get("key");
    if (key != null && !key.isNull()) {
      options.addAll(
          List.of("--key", key.isTextual() ? key.textValue() : MAPPER.writeValueAsString(key)));
    }
    JsonNode headers = envelope.path("headers");
    for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> h = it.next();
      if (!h.getValue().isNull()) {
        options.addAll(List.of("-H", h.getKey() + "=" + h.getValue().asText()));
      }
    }
    if (envelope.has("topic")) {
      options.addAll(List.of("--topic", envelope.get("topic").asText()));
    }
    if (envelope.has("partition")) {
      options.addAll(List.of("--partition", envelope.get("partition").asText()));
    }
    JsonNode ts = envelope.get("timestamp");
    if (ts != null && !ts.isNull()) {
      options.addAll(
          List.of(
              "--timestamp",
              ts.isNumber() ? Instant.ofEpochMilli(ts.longValue()).toString() : ts.asText()));
    }
    return options;
  }

  private static List<String> previewArgs(Path dir) throws IOException {
    String extra = Files.readString(dir.resolve("preview.args"), StandardCharsets.UTF_8).strip();
    return extra.isEmpty() ? List.of() : Arrays.asList(extra.split("\\s+"));
  }

  private static String option(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
  }

  /**
   * {@code rules preview} of {@code events} with the example's arguments; {@code overrides} (option
   * and value pairs) replace the options of the same name there.
   */
  private static String previewFile(Path dir, Path events, List<String> overrides)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "rules",
            "preview",
            dir.resolve("rules.json").toString(),
            "--input",
            events.toString()));
    List<String> extra = new ArrayList<>(previewArgs(dir));
    Set<String> replaced = new java.util.HashSet<>();
    for (int i = 0; i < overrides.size(); i += 2) {
      if (!overrides.get(i).equals("-H")) {
        replaced.add(overrides.get(i));
      }
    }
    for (int i = 0; i < extra.size(); i++) {
      if (replaced.contains(extra.get(i))) {
        extra.remove(i + 1);
        extra.remove(i--);
      }
    }
    args.addAll(extra);
    args.addAll(overrides);
    StringWriter output = new StringWriter();
    PrintWriter writer = new PrintWriter(output, true);
    CommandLine commandLine = AuditpipeCommand.commandLine();
    commandLine.setOut(writer);
    commandLine.setErr(writer);
    commandLine.execute(args.toArray(String[]::new));
    writer.flush();
    return output.toString().replace(System.lineSeparator(), "\n");
  }

  private static Path locateExamples() {
    // Surefire runs in the module directory; the examples live at the reactor root.
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p.resolve("examples");
      }
    }
    throw new IllegalStateException("no examples/ directory above " + start);
  }
}
