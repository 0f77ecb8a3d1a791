package io.auditpipe.cli.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.auditpipe.cli.ExitCodes;
import io.auditpipe.cli.UserMessages;
import io.auditpipe.cli.samples.EnvelopeMode;
import io.auditpipe.cli.samples.SampleHeader;
import io.auditpipe.cli.samples.SampleLine;
import io.auditpipe.cli.samples.SampleLines;
import io.auditpipe.cli.samples.SampleRecord;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RecordContext;
import io.auditpipe.core.rules.RecordKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code auditpipe rules preview RULES.json --topic T}: maps sample events, one JSON document per
 * line, exactly as the connector and the processor would, and prints the WorkOS request bodies.
 */
@Command(
    name = "preview",
    mixinStandardHelpOptions = true,
    description = {
      "Maps JSON events (one per line, from --input or stdin) with a rules document, as if they"
          + " were records of --topic, and prints per event the WorkOS request body to stdout or"
          + " why it failed to stderr. A line can also be a record envelope carrying the key,"
          + " headers, topic and timestamp with the value (see --envelope).",
      "Lines that are not UTF-8, not JSON or not a valid envelope and records that fail are"
          + " reported with their line number; they do not stop the preview. Blank lines are"
          + " ignored."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Every record was mapped or unmatched.",
      "1:The rules document is invalid, or a file cannot be read.",
      "2:Invalid command-line usage.",
      "3:Some lines were not JSON or some records failed to map (each reported on stderr)."
    })
public final class PreviewRulesCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RULES.json", description = "The rules document.")
  private Path rulesFile;

  @Option(
      names = "--topic",
      required = true,
      paramLabel = "TOPIC",
      description = "The topic the events are taken to come from.")
  private String topic;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "events.jsonl",
      description = "JSON events, one per line; '-' or absent reads stdin.")
  private Optional<Path> input = Optional.empty();

  @Option(
      names = "--partition",
      defaultValue = "0",
      paramLabel = "N",
      description = "The partition of every record (default: ${DEFAULT-VALUE}).")
  private int partition;

  @Option(
      names = "--offset-start",
      defaultValue = "0",
      paramLabel = "OFFSET",
      description =
          "The offset of the first record; each further non-blank line is the next offset"
              + " (default: ${DEFAULT-VALUE}).")
  private long offsetStart;

  @Option(
      names = "--timestamp",
      paramLabel = "INSTANT",
      description = "The record timestamp, ISO-8601 (e.g. 2026-01-01T00:00:00Z); default: now.")
  private Optional<Instant> timestamp = Optional.empty();

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description =
          "The record key of every record, read as the processor and connector read keys: a JSON"
              + " object, array or string is that JSON (a Connect envelope its payload), other"
              + " text is text.")
  private Optional<String> key = Optional.empty();

  @Option(
      names = {"-H", "--header"},
      paramLabel = "NAME=VALUE",
      description = "A record header; repeat for several.")
  private Map<String, String> headers = new LinkedHashMap<>();

  @Option(
      names = "--external-id",
      paramLabel = "EXTERNAL_ID=ORG_ID",
      description =
          "What {\"external_id\": …} values resolve to, instead of asking WorkOS; repeat for"
              + " several. Unlisted external ids resolve to nothing.")
  private Map<String, String> externalIds = new LinkedHashMap<>();

  @Option(
      names = "--envelope",
      negatable = true,
      description =
          "Read every line as a record envelope {\"key\": …, \"value\": …, \"headers\": {…},"
              + " \"topic\": …, \"partition\": …, \"timestamp\": …} (--no-envelope: every line is"
              + " a record value). Default: a JSON object with \"value\" and only those members is an"
              + " envelope, any other line the value. An envelope's fields replace --topic, --key,"
              + " --partition and --timestamp for its line; its headers add to -H.")
  private Optional<Boolean> envelope = Optional.empty();

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "FORMAT",
      description =
          "text: a '#' line naming line, offset, rule and Idempotency-Key, then the indented"
              + " request body; jsonl: one JSON object per event with line, offset, rule,"
              + " idempotency_key and request. (default: ${DEFAULT-VALUE})")
  private PreviewFormat format = PreviewFormat.text;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> organizations = Map.copyOf(externalIds);
    RulesFile.Loaded loaded =
        RulesFile.load(rulesFile, id -> Optional.ofNullable(organizations.get(id)));
    if (loaded instanceof RulesFile.Rejected rejected) {
      rejected.errors().forEach(err::println);
      err.flush();
      return ExitCodes.INVALID;
    }
    CompiledRules rules = ((RulesFile.Compiled) loaded).rules();
    if (!rules.selectsTopic(topic)) {
      err.println("warning: no rule selects topic \"" + topic + "\"; every record is unmatched");
    }
    PreviewReport report = new PreviewReport(out, err, format, rules.unmatchedPolicy(topic));
    Path source = input.filter(p -> !p.toString().equals("-")).orElse(null);
    String name = source == null ? "stdin" : source.toString();
    try (InputStream in = source == null ? System.in : Files.newInputStream(source)) {
      preview(rules, SampleLines.of(in, EnvelopeMode.of(envelope)), report);
    } catch (IOException | UncheckedIOException e) {
      report.flush();
      Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
      String reason = UserMessages.describe(cause);
      err.println(reason.startsWith(name) ? reason : name + ": " + reason);
      err.flush();
      return ExitCodes.INVALID;
    }
    report.summary();
    return report.hasProblems() ? ExitCodes.RECORDS_FAILED : ExitCodes.OK;
  }

  private void preview(CompiledRules rules, SampleLines lines, PreviewReport report) {
    Instant recordTimestamp = timestamp.orElseGet(Instant::now);
    // As the pipeline reads a key, so that a preview maps records as they will be mapped.
    Optional<JsonNode> recordKey = key.flatMap(RecordKeys::fromText);
    long offset = offsetStart;
    while (lines.hasNext()) {
      SampleLine line = lines.next();
      long recordOffset = offset++;
      if (line instanceof SampleLine.Invalid invalid) {
        report.invalidEnvelope(invalid.line(), recordOffset, invalid.reason());
        continue;
      }
      SampleRecord record = ((SampleLine.Sample) line).record();
      JsonNode value;
      if (record.value().isEmpty()) {
        value = NullNode.getInstance();
      } else {
        byte[] bytes = record.value().get();
        Optional<String> text = SampleLines.utf8(bytes);
        if (text.isEmpty()) {
          report.notUtf8(line.line(), recordOffset, SampleLines.firstInvalidByte(bytes));
          continue;
        }
        try {
          // As the connector and the processor read a record's value.
          value = rules.readValue(bytes);
        } catch (JsonProcessingException e) {
          report.notJson(line.line(), recordOffset, e);
          continue;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      Map<String, String> recordHeaders = new LinkedHashMap<>(headers);
      for (SampleHeader header : record.headers()) {
        header
            .value()
            .ifPresentOrElse(
                v -> recordHeaders.put(header.name(), v),
                () -> recordHeaders.remove(header.name()));
      }
      RecordContext context =
          new RecordContext(
              record.topic().orElse(topic),
              record.partition().orElse(partition),
              recordOffset,
              Optional.of(record.timestamp().orElse(recordTimestamp)),
              record.key().map(k -> k.bytes().flatMap(RecordKeys::fromBytes)).orElse(recordKey),
              recordHeaders);
      MappingOutcome outcome;
      try {
        outcome = rules.map(value, context);
      } catch (RuntimeException e) {
        // CompiledRules.map promises typed failures only; report a broken promise, don't die.
        report.unexpected(line.line(), recordOffset, e);
        continue;
      }
      report.outcome(line.line(), recordOffset, outcome);
    }
  }
}
