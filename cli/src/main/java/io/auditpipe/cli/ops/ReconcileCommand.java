package io.auditpipe.cli.ops;

import io.auditpipe.cli.ExitCodes;
import io.auditpipe.cli.reconcile.DeadLetterIndex;
import io.auditpipe.cli.reconcile.ExpectedEvents;
import io.auditpipe.cli.reconcile.ExportCsvReader;
import io.auditpipe.cli.reconcile.OrganizationMatch;
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
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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

  @Option(
      names = {"-b", "--bootstrap-servers"},
      required = true,
      paramLabel = "HOST:PORT",
      description = "Kafka's bootstrap servers.")
  private String bootstrapServers;

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
      names = {"-X", "--consumer-property"},
      paramLabel = "KEY=VALUE",
      description = "A Kafka consumer property (security settings, …); repeat for several.")
  private Map<String, String> consumerProperties = new HashMap<>();

  @Override
  public Integer call() {
    if (!format.equals("text") && !format.equals("json")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--format: expected text or json, found " + format);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (WorkOsApiClient client = workOs.client();
        KafkaConsumer<byte[], byte[]> consumer = consumer()) {
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
      ExpectedEvents events = new ExpectedEvents(rules, deadLetters.bySource());
      long read = SourceRange.read(consumer, ranges, timeout, err, events::accept);
      err.println(
          "reconcile: "
              + read
              + " source record(s) read from "
              + ranges.size()
              + " partition(s); "
              + events.organizations().size()
              + " organization(s) to export");
      err.flush();

      for (OrganizationMatch match : events.organizations().values()) {
        exportAndMatch(client, match, err);
      }
      ReconcileReport report = new ReconcileReport(events);
      if (format.equals("json")) {
        report.json(stdout);
      } else {
        report.text(stdout);
      }
      if (out.isPresent()) {
        try (PrintWriter file =
            new PrintWriter(Files.newBufferedWriter(out.get(), StandardCharsets.UTF_8))) {
          report.missingJsonLines(file);
        }
      }
      return report.missing().isEmpty() ? ExitCodes.OK : MISSING;
    } catch (WorkOsApiException
        | KafkaException
        | IllegalStateException
        | IllegalArgumentException e) {
      err.println("reconcile: " + e.getMessage());
      err.flush();
      return ExitCodes.INVALID;
    } catch (IOException e) {
      err.println("reconcile: " + out.orElseThrow() + ": cannot write: " + e.getMessage());
      err.flush();
      return ExitCodes.INVALID;
    }
  }

  private void exportAndMatch(WorkOsApiClient client, OrganizationMatch match, PrintWriter err) {
    OrganizationMatch.Window window = match.window().orElseThrow();
    AuditLogExport export =
        client.createExport(ExportRequest.of(match.organizationId(), window.start(), window.end()));
    err.println(
        "reconcile: export "
            + export.id()
            + " of "
            + match.organizationId()
            + " from "
            + window.start()
            + " to "
            + window.end()
            + " requested");
    err.flush();
    AuditLogExport ready = client.awaitExport(export.id(), pollInterval, timeout);
    ExportCsvReader.read(client.downloadCsv(ready), ready.id(), match::exported);
    err.println(
        "reconcile: export "
            + ready.id()
            + ": "
            + match.found()
            + " of "
            + match.expected()
            + " expected event(s) found");
    err.flush();
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
    List<String> sources = topics.isEmpty() ? List.copyOf(rules.topics()) : topics;
    if (sources.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--topic: the rules name no exact topic (only a pattern); name the topics to read");
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
      throw new IllegalArgumentException(topic + ": no such topic at " + bootstrapServers);
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
    Properties props = new Properties();
    props.putAll(consumerProperties);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "auditpipe-reconcile");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
