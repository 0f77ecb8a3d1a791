package io.auditpipe.cli.ops;

import io.auditpipe.cli.ExitCodes;
import io.auditpipe.cli.reconcile.DeadLetterIndex;
import io.auditpipe.cli.reconcile.ExpectedEventSpool;
import io.auditpipe.cli.reconcile.ExpectedEvents;
import io.auditpipe.cli.reconcile.ExportCsvReader;
import io.auditpipe.cli.reconcile.OrganizationMatch;
import io.auditpipe.cli.reconcile.ReconcileFindings;
import io.auditpipe.cli.reconcile.ReconcileReport;
import io.auditpipe.cli.reconcile.SourceRange;
import io.auditpipe.cli.reconcile.SourceRange.OffsetRange;
import io.auditpipe.cli.rules.RulesFile;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.workos.api.AuditLogExport;
import io.auditpipe.workos.api.CachingOrganizationResolver;
import io.auditpipe.workos.api.ExportRequest;
import io.auditpipe.workos.api.WorkOsApiClient;
import io.auditpipe.workos.api.WorkOsApiException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code auditpipe reconcile RULES.json …}: computes the events a range of source records should
 * have produced and compares them with what WorkOS's exports hold.
 */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description = {
      "Proves completeness: maps the source records in a range with the rules, as the pipeline"
          + " does, exports each affected organization's events for the time they span from"
          + " WorkOS, and reports the events expected, found, missing (with source"
          + " topic-partition@offset and rule), unexpected (in WorkOS, made by no record in"
          + " range), and the records not delivered by design (dead-lettered, unmappable,"
          + " skipped).",
      "Reads without a consumer group; commits nothing. Progress goes to stderr."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Nothing is missing.",
      "1:The rules are invalid, Kafka or WorkOS cannot be reached, or an export failed.",
      "2:Invalid command-line usage.",
      "4:Some expected events are missing from WorkOS (each reported)."
    })
public final class ReconcileCommand implements Callable<Integer> {

  /** Exit code when expected events are missing. */
  public static final int MISSING = ExitCodes.EVENTS_MISSING;

  private static final Pattern OFFSETS = Pattern.compile("(.+):(\\d+):(\\d+)-(\\d+)");

  @Spec private CommandSpec spec;

  @Mixin private WorkOsOptions workOs;

  @Parameters(index = "0", paramLabel = "RULES.json", description = "The rules document.")
  private Path rulesFile;

  @Mixin private KafkaOptions kafka;

  @Option(
      names = {"-t", "--topic"},
      paramLabel = "TOPIC",
      description = "A source topic; repeat for several (default: the topics the rules name).")
  private List<String> topics = new ArrayList<>();

  @Option(
      names = "--from",
      paramLabel = "INSTANT",
      description =
          "Only records with a timestamp at or after INSTANT (e.g. 2026-12-01T00:00:00Z).")
  private Optional<Instant> from = Optional.empty();

  @Option(
      names = "--to",
      paramLabel = "INSTANT",
      description = "Only records with a timestamp before INSTANT.")
  private Optional<Instant> to = Optional.empty();

  @Option(
      names = "--offsets",
      paramLabel = "TOPIC:PARTITION:FROM-TO",
      description =
          "Only offsets FROM (inclusive) to TO (exclusive) of one partition; repeat for several."
              + " Only the partitions named are read.")
  private List<String> offsets = new ArrayList<>();

  @Option(
      names = "--dlq-topic",
      paramLabel = "TOPIC",
      description =
          "A dead-letter topic; records found there (by their source coordinates) are reported"
              + " dead-lettered, not missing. Repeat for several.")
  private List<String> dlqTopics = new ArrayList<>();

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  private String format;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write the missing events to FILE, one JSON object per line.")
  private Optional<Path> out = Optional.empty();

  @Option(
      names = "--timeout",
      defaultValue = "PT10M",
      paramLabel = "DURATION",
      description =
          "How long to read Kafka, and to wait for each export (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(
      names = "--poll-interval",
      defaultValue = "PT1S",
      paramLabel = "DURATION",
      description =
          "How often to ask WorkOS whether an export is ready (default: ${DEFAULT-VALUE}).")
  private Duration pollInterval;

  @Option(
      names = "--window",
      defaultValue = "P1D",
      paramLabel = "DURATION",
      description =
          "Export and match each organization's events in windows of this span of occurred_at"
              + " (default: ${DEFAULT-VALUE}); a window is halved until it holds at most"
              + " --max-window-events.")
  private Duration window;

  @Option(
      names = "--max-window-events",
      defaultValue = "50000",
      paramLabel = "N",
      description =
          "The most expected events held in memory at once, while reading and while matching a"
              + " window (default: ${DEFAULT-VALUE}); the rest wait in files under --spill-dir.")
  private int maxWindowEvents;

  @Option(
      names = "--spill-dir",
      paramLabel = "DIR",
      description =
          "Where the expected events and findings are kept while reconcile runs (default: the"
              + " system's temporary directory); removed at the end.")
  private Optional<Path> spillDir = Optional.empty();

  @Override
  public Integer call() {
    if (!format.equals("text") && !format.equals("json")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--format: expected text or json, found " + format);
    }
    if (window.toMillis() < 1 || maxWindowEvents < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--window and --max-window-events: expected at least 1 ms and 1 event, found "
              + window
              + " and "
              + maxWindowEvents);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<String> unreachable = kafka.unreachable();
    if (unreachable.isPresent()) {
      err.println("reconcile: " + unreachable.get());
      err.flush();
      return ExitCodes.INVALID;
    }
    Path spill;
    try {
      spill =
          spillDir.isPresent()
              ? Files.createTempDirectory(
                  Files.createDirectories(spillDir.get()), "auditpipe-reconcile-")
              : Files.createTempDirectory("auditpipe-reconcile-");
    } catch (IOException e) {
      err.println(
          "reconcile: --spill-dir: cannot create a directory there ("
              + e.getMessage()
              + "); name a writable directory");
      err.flush();
      return ExitCodes.INVALID;
    }
    try (WorkOsApiClient client = workOs.client();
        KafkaConsumer<byte[], byte[]> consumer = consumer();
        ExpectedEventSpool spool =
            new ExpectedEventSpool(
                spill.resolve("expected"), window, maxWindowEvents, maxWindowEvents);
        ReconcileFindings findings = new ReconcileFindings(spill.resolve("findings"))) {
      RulesFile.Loaded loaded = RulesFile.load(rulesFile, CachingOrganizationResolver.of(client));
      if (loaded instanceof RulesFile.Rejected rejected) {
        rejected.errors().forEach(err::println);
        err.flush();
        return ExitCodes.INVALID;
      }
      CompiledRules rules = ((RulesFile.Compiled) loaded).rules();
      Map<TopicPartition, OffsetRange> ranges = ranges(consumer, rules);

      DeadLetterIndex deadLetters = new DeadLetterIndex();
      for (String dlq : dlqTopics) {
        SourceRange.read(consumer, wholeTopic(consumer, dlq), timeout, err, deadLetters::accept);
      }
      ExpectedEvents events =
          new ExpectedEvents(rules, deadLetters.bySource(), spool::add, findings::notDelivered);
      long read = SourceRange.read(consumer, ranges, timeout, err, events::accept);
      List<ExpectedEventSpool.Window> windows = spool.windows();
      err.println(
          "reconcile: "
              + read
              + " source record(s) read from "
              + ranges.size()
              + " partition(s); "
              + events.organizations().size()
              + " organization(s) to export in "
              + windows.size()
              + " window(s)");
      err.flush();

      long found = 0;
      for (ExpectedEventSpool.Window w : windows) {
        found += exportAndMatch(client, w, spill, findings, err);
      }
      ReconcileReport report = new ReconcileReport(events, found, findings);
      if (format.equals("json")) {
        report.json(stdout);
      } else {
        report.text(stdout);
      }
      if (out.isPresent()) {
        try (PrintWriter file =
            new PrintWriter(Files.newBufferedWriter(out.get(), StandardCharsets.UTF_8))) {
          report.missingJsonLines(file);
        } catch (IOException e) {
          err.println("reconcile: " + out.get() + ": cannot write: " + e.getMessage());
          err.flush();
          return ExitCodes.INVALID;
        }
      }
      return report.missing() == 0 ? ExitCodes.OK : MISSING;
    } catch (WorkOsApiException
        | KafkaException
        | IllegalStateException
        | IllegalArgumentException e) {
      err.println("reconcile: " + e.getMessage());
      err.flush();
      return ExitCodes.INVALID;
    } catch (UncheckedIOException e) {
      err.println(
          "reconcile: cannot use the spill directory "
              + spill
              + " ("
              + e.getCause().getMessage()
              + "); free space there or name another with --spill-dir");
      err.flush();
      return ExitCodes.INVALID;
    } finally {
      try (Stream<Path> left = Files.walk(spill)) {
        for (Path p : left.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        err.println("reconcile: could not remove " + spill + ": " + e.getMessage());
        err.flush();
      }
    }
  }

  /**
   * Exports one window of one organization, streams its CSV through the matcher loaded with the
   * window's expected events, and records what is missing and unexpected.
   *
   * @return how many expected events were found
   */
  private long exportAndMatch(
      WorkOsApiClient client,
      ExpectedEventSpool.Window w,
      Path spill,
      ReconcileFindings findings,
      PrintWriter err) {
    OrganizationMatch match = new OrganizationMatch(w.organizationId());
    w.load().forEach(match::expect);
    OrganizationMatch.Window range = match.window().orElseThrow();
    AuditLogExport export =
        client.createExport(ExportRequest.of(match.organizationId(), range.start(), range.end()));
    err.println(
        "reconcile: export "
            + export.id()
            + " of "
            + match.organizationId()
            + " from "
            + range.start()
            + " to "
            + range.end()
            + " requested");
    err.flush();
    AuditLogExport ready = client.awaitExport(export.id(), pollInterval, timeout);
    Path csv = spill.resolve("export.csv");
    try {
      client.downloadCsv(ready, csv);
      try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
        ExportCsvReader.read(in, ready.id(), match::exported);
      }
      Files.deleteIfExists(csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    match.missing().forEach(findings::missing);
    match.unexpected().forEach(r -> findings.unexpected(match.organizationId(), r));
    err.println(
        "reconcile: export "
            + ready.id()
            + ": "
            + match.found()
            + " of "
            + match.expected()
            + " expected event(s) found");
    err.flush();
    return match.found();
  }

  /**
   * The offset ranges to read: --offsets, else every partition of the topics within --from/--to.
   */
  private Map<TopicPartition, OffsetRange> ranges(
      KafkaConsumer<byte[], byte[]> consumer, CompiledRules rules) {
    Map<TopicPartition, OffsetRange> ranges = new LinkedHashMap<>();
    if (!offsets.isEmpty()) {
      for (String o : offsets) {
        Matcher m = OFFSETS.matcher(o);
        if (!m.matches()) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--offsets: expected TOPIC:PARTITION:FROM-TO, found " + o);
        }
        ranges.put(
            new TopicPartition(m.group(1), Integer.parseInt(m.group(2))),
            new OffsetRange(Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
      }
      return ranges;
    }
    List<String> sources = topics.isEmpty() ? ruleTopics(consumer, rules) : topics;
    if (sources.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--topic: no topic on the cluster matches the rules' pattern "
              + rules.topicPattern().map(Pattern::pattern).orElse("")
              + "; name the topics to read");
    }
    for (String topic : sources) {
      Map<TopicPartition, OffsetRange> whole = wholeTopic(consumer, topic);
      Map<TopicPartition, Long> start =
          from.map(at -> offsetsAt(consumer, whole, at)).orElse(Map.of());
      Map<TopicPartition, Long> end = to.map(at -> offsetsAt(consumer, whole, at)).orElse(Map.of());
      whole.forEach(
          (tp, range) ->
              ranges.put(
                  tp,
                  new OffsetRange(
                      start.getOrDefault(tp, range.from()), end.getOrDefault(tp, range.to()))));
    }
    return ranges;
  }

  /**
   * The topics the rules select, as the connector's {@code topics.regex} would: the exact names,
   * and the cluster's topics their pattern matches.
   */
  private List<String> ruleTopics(KafkaConsumer<byte[], byte[]> consumer, CompiledRules rules) {
    Set<String> selected = new TreeSet<>(rules.topics());
    rules
        .topicPattern()
        .ifPresent(
            pattern ->
                consumer.listTopics(timeout).keySet().stream()
                    .filter(topic -> pattern.matcher(topic).matches())
                    .forEach(selected::add));
    return List.copyOf(selected);
  }

  /** The first offset at or after {@code at} per partition, or the partition's end. */
  private Map<TopicPartition, Long> offsetsAt(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetRange> whole, Instant at) {
    Map<TopicPartition, Long> query = new HashMap<>();
    whole.keySet().forEach(tp -> query.put(tp, at.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, timeout);
    Map<TopicPartition, Long> offsets = new HashMap<>();
    whole.forEach(
        (tp, range) -> {
          OffsetAndTimestamp o = found.get(tp);
          offsets.put(tp, o == null ? range.to() : o.offset());
        });
    return offsets;
  }

  private Map<TopicPartition, OffsetRange> wholeTopic(
      KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
    if (partitions == null || partitions.isEmpty()) {
      throw new IllegalArgumentException(topic + ": no such topic at " + kafka.bootstrapServers());
    }
    List<TopicPartition> tps =
        partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps, timeout);
    Map<TopicPartition, Long> end = consumer.endOffsets(tps, timeout);
    Map<TopicPartition, OffsetRange> ranges = new LinkedHashMap<>();
    tps.forEach(tp -> ranges.put(tp, new OffsetRange(begin.get(tp), end.get(tp))));
    return ranges;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(
        kafka.consumer("auditpipe-reconcile"),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
