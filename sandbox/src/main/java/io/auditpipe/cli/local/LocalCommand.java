package io.auditpipe.cli.local;

import io.auditpipe.cli.ExitCodes;
import io.auditpipe.cli.UserMessages;
import io.auditpipe.cli.samples.EnvelopeMode;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.core.rules.RulesValidationException;
import io.auditpipe.workos.http.BaseUrls;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code auditpipe local}: the whole pipeline in this process, no Docker — a KRaft broker, the
 * WorkOS emulator, a Connect worker running the connector from its plugin archive, the processor —
 * fed with sample events, with live progress until Ctrl-C (or {@code --duration}).
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = {
      "Runs auditpipe end to end in this process: an embedded Kafka broker (KRaft), the WorkOS"
          + " emulator, a Kafka Connect worker running the auditpipe connector loaded from its"
          + " plugin archive, and the processor; produces sample events in a loop (a few of them"
          + " deliberately bad) and shows what becomes of them. Ctrl-C stops everything.",
      "Default pipeline: domain topic -> processor (rules) -> audit-events -> connector ->"
          + " WorkOS. With --inline the connector applies the rules itself.",
      "Progress: on a terminal one line updated every second, otherwise (and with --duration) a"
          + " line every 5 seconds; it ends with the connector task's state and, if the task or the"
          + " processor failed, why — local then stops with exit code 1. Ctrl-C stops everything"
          + " (the shell then reports exit code 130). The broker and Connect listen on 127.0.0.1"
          + " only; the emulator uses port 8080, or a free port when 8080 is taken."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Stopped cleanly (with --duration: every produced record was accounted for).",
      "1:Invalid rules, events or options, a component failed to start, or the connector task"
          + " or the processor failed (the pipeline cannot proceed).",
      "2:Invalid command-line usage.",
      "3:With --duration: some produced records were not accounted for in time."
    })
public final class LocalCommand implements Callable<Integer> {

  static final String CONNECTOR = "auditpipe-local";
  static final String AUDIT_TOPIC = "audit-events";
  static final String DLQ_TOPIC = "auditpipe-local-dlq";
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

  @Spec private CommandSpec spec;

  @Option(
      names = "--rules",
      paramLabel = "RULES.json",
      description = "The rules document (default: examples/app-events/rules.json).")
  private Optional<Path> rulesFile = Optional.empty();

  @Option(
      names = "--events",
      paramLabel = "events.jsonl",
      description =
          "Sample records, one per line, replayed in a loop: the record value, or a record"
              + " envelope with key, headers, topic and timestamp (see --envelope)"
              + " (default: examples/app-events/events.jsonl).")
  private Optional<Path> eventsFile = Optional.empty();

  @Option(
      names = "--envelope",
      negatable = true,
      description =
          "Read every events line as a record envelope {\"key\": …, \"value\": …, \"headers\":"
              + " {…}, \"topic\": …, \"partition\": …, \"timestamp\": …} (--no-envelope: every"
              + " line is a record value). Default: a JSON object with \"value\" and only those"
              + " members is an envelope, any other line the value.")
  private Optional<Boolean> envelope = Optional.empty();

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      description = "The topic the samples go to (default: the first topic the rules name).")
  private Optional<String> topic = Optional.empty();

  @Option(
      names = "--rate",
      paramLabel = "N",
      defaultValue = "5",
      description = "Sample records per second (default: ${DEFAULT-VALUE}).")
  private double rate;

  @Option(
      names = "--inline",
      description = "The connector maps with the rules itself; the processor is not started.")
  private boolean inline;

  @Option(
      names = "--workos-url",
      paramLabel = "URL",
      description =
          "Deliver to this WorkOS instead of the embedded emulator; the API key is read from"
              + " $WORKOS_API_KEY.")
  private Optional<URI> workOsUrl = Optional.empty();

  @Option(
      names = "--allow-insecure-http",
      description =
          "With --workos-url: allow plain http to a host that is not loopback (the API key then"
              + " travels in clear text).")
  private boolean allowInsecureHttp;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description =
          "Use this Kafka instead of the embedded broker. The Connect worker keeps its state in"
              + " its topics auditpipe-local-connect-configs, -offsets and -statuses.")
  private Optional<String> bootstrapServers = Optional.empty();

  @Option(
      names = "--emulator-port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description =
          "The emulator's port; when it is taken, a free one is used instead (the banner says"
              + " which); 0 picks a free one (default: ${DEFAULT-VALUE}).")
  private int emulatorPort;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description =
          "Produce for this long (30s, 2m, 1h or ISO-8601 PT30S), wait until every record is"
              + " delivered,"
              + " skipped or dead-lettered (at most 60 s more), print a summary and stop: for"
              + " scripts and CI.")
  private Optional<Duration> duration = Optional.empty();

  @Option(
      names = "--max-events",
      paramLabel = "N",
      description = "Stop producing after N sample records.")
  private Optional<Long> maxEvents = Optional.empty();

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = ".auditpipe",
      description =
          "Where the broker, the processor and the unpacked connector keep their data and logs"
              + " (Connect keeps its state in the broker's topics); the broker's data is replaced on"
              + " each run (default: ${DEFAULT-VALUE}).")
  private Path dataDir;

  @Option(
      names = "--plugin-path",
      paramLabel = "DIR",
      description =
          "The Connect plugin.path holding the unpacked auditpipe connector archive (default:"
              + " unpacked from connector/target).")
  private Optional<Path> pluginPath = Optional.empty();

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Every option is checked before anything starts: a wrong one is reported in a second.
    if (!(rate > 0)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--rate: expected a positive number, found " + format(rate));
    }
    if (duration.map(d -> d.isNegative() || d.isZero()).orElse(false)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--duration: expected a positive duration such as 30s or 2m");
    }
    Optional<URI> remote = workOsUrl.map(this::checkedWorkOsUrl);
    Optional<String> unreachable =
        remote.flatMap(url -> WorkOsReachability.problem(url, Duration.ofSeconds(5)));
    if (unreachable.isPresent()) {
      err.println(
          "auditpipe local: --workos-url "
              + remote.get()
              + ": "
              + unreachable.get()
              + "; the pipeline cannot deliver there. Check the URL, or leave --workos-url out"
              + " to deliver to the embedded emulator.");
      return ExitCodes.INVALID;
    }
    Path rules = rulesFile.orElseGet(() -> Examples.locate("app-events/rules.json"));
    Path events = eventsFile.orElseGet(() -> Examples.locate("app-events/events.jsonl"));
    CompiledRules compiled;
    try {
      compiled = RulesCompiler.compile(Files.readString(rules));
    } catch (RulesValidationException e) {
      e.errors().forEach(error -> err.println(rules + ": " + error));
      return ExitCodes.INVALID;
    }
    Optional<String> firstTopic =
        topic.or(() -> new TreeSet<>(compiled.topics()).stream().findFirst());
    if (firstTopic.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--topic: the rules select topics by pattern only; name the topic to produce to");
    }
    String domainTopic = firstTopic.get();
    SampleEvents samples = SampleEvents.read(events, EnvelopeMode.of(envelope));
    samples.problems().forEach(problem -> err.println("warning: " + problem));
    err.flush();
    Set<String> sampleTopics = new TreeSet<>(samples.topics());
    sampleTopics.add(domainTopic);

    Path data = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(data);
    LocalLogging.toFile(data.resolve("local.log"));

    Deque<AutoCloseable> running = new ArrayDeque<>();
    Thread hook = new Thread(this::onShutdownSignal, "auditpipe-local-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Instant started = Instant.now();
    try {
      out.println("auditpipe local: starting, data and logs in " + data + " (Ctrl-C to stop)");
      out.flush();
      LocalWorkOs workOs = startWorkOs(remote, compiled, samples, domainTopic);
      running.push(workOs);
      String kafka = startKafka(data, running);
      List<String> topics = new ArrayList<>(sampleTopics);
      topics.add(DLQ_TOPIC);
      if (!inline) {
        topics.add(AUDIT_TOPIC);
      }
      LocalTopics.ensure(kafka, topics, 3);
      TopicCounter deadLetters = new TopicCounter(kafka, DLQ_TOPIC);
      running.push(deadLetters);
      Optional<LocalProcessor> processor = Optional.empty();
      if (!inline) {
        LocalProcessor p = LocalProcessor.start(kafka, rules, AUDIT_TOPIC, DLQ_TOPIC, data);
        running.push(p);
        processor = Optional.of(p);
      }
      Path plugins = pluginPath.orElseGet(() -> PluginArchive.unpackInto(data.resolve("plugins")));
      Map<String, String> workerProps = new LinkedHashMap<>();
      workerProps.put("consumer.isolation.level", "read_committed");
      workerProps.putAll(LocalSecrets.workerProviders());
      LocalConnectWorker worker = LocalConnectWorker.start(kafka, plugins, workerProps);
      running.push(worker);
      worker.putConnector(CONNECTOR, connectorConfig(rules, sampleTopics, workOs));
      worker.awaitRunning(CONNECTOR, Duration.ofSeconds(60));
      SampleProducer producer =
          new SampleProducer(kafka, domainTopic, samples, rate, maxEvents.orElse(Long.MAX_VALUE));
      running.push(producer);
      producer.start();

      ProgressMeter meter =
          new ProgressMeter(producer, processor, deadLetters, () -> connectorStatus(worker));
      printBanner(out, started, kafka, workOs, worker, rules, events, domainTopic);
      return runUntilStopped(out, producer, meter);
    } finally {
      closeAll(running, err);
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down: the hook is running and waits for us.
      }
    }
  }

  /** {@code --workos-url} as the connector will accept it, with an API key to go with it. */
  private URI checkedWorkOsUrl(URI url) {
    try {
      BaseUrls.normalize(url, allowInsecureHttp);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          UserMessages.clean(e.getMessage())
              + (url.getScheme() == null ? " (e.g. https://api.workos.com)" : ""));
    }
    String key = System.getenv(RemoteWorkOs.API_KEY_ENV);
    if (key == null || key.isBlank()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--workos-url: set " + RemoteWorkOs.API_KEY_ENV + " to the API key of that WorkOS");
    }
    return url;
  }

  private LocalWorkOs startWorkOs(
      Optional<URI> remote, CompiledRules rules, SampleEvents samples, String domainTopic)
      throws Exception {
    if (remote.isPresent()) {
      return new RemoteWorkOs(remote.get());
    }
    return EmbeddedEmulator.start(
        emulatorPort, samples.organizations(rules, domainTopic), dataDir.toAbsolutePath());
  }

  private String startKafka(Path data, Deque<AutoCloseable> running) throws Exception {
    if (bootstrapServers.isPresent()) {
      return bootstrapServers.get();
    }
    Path kafkaDir = data.resolve("kafka");
    DataDirectories.deleteRecursively(kafkaDir);
    LocalKafka kafka = LocalKafka.start(kafkaDir);
    running.push(kafka);
    return kafka.bootstrapServers();
  }

  private static ConnectorStatus connectorStatus(LocalConnectWorker worker) {
    try {
      return worker.status(CONNECTOR);
    } catch (IOException e) {
      return ConnectorStatus.UNKNOWN;
    }
  }

  private Map<String, String> connectorConfig(
      Path rules, Set<String> domainTopics, LocalWorkOs workOs) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("connector.class", PluginArchive.CONNECTOR_CLASS);
    config.put("tasks.max", "1");
    config.put("topics", inline ? String.join(",", domainTopics) : AUDIT_TOPIC);
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    // The rules read header text as producers wrote it, as the processor does.
    config.put("header.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("workos.base.url", workOs.baseUrl().toString());
    config.put("workos.api.key", workOs.apiKeyReference());
    if (allowInsecureHttp) {
      config.put("workos.allow.insecure.http", "true");
    }
    if (inline) {
      config.put("auditpipe.input.mode", "domain");
      config.put("auditpipe.rules.path", rules.toAbsolutePath().toString());
    } else {
      config.put("auditpipe.input.mode", "audit-event");
    }
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", DLQ_TOPIC);
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    config.put("consumer.override.auto.offset.reset", "earliest");
    return config;
  }

  private void printBanner(
      PrintWriter out,
      Instant started,
      String kafka,
      LocalWorkOs workOs,
      LocalConnectWorker worker,
      Path rules,
      Path events,
      String domainTopic) {
    out.printf(
        "auditpipe local: ready in %.1f s%n",
        Duration.between(started, Instant.now()).toMillis() / 1000.0);
    out.printf(
        "  %-16s %s%s%n",
        "Kafka", kafka, bootstrapServers.isPresent() ? "" : " (embedded KRaft broker)");
    if (workOs.page().isPresent()) {
      boolean portTaken = emulatorPort != 0 && workOs.baseUrl().getPort() != emulatorPort;
      out.printf(
          "  %-16s %s   <- the audit events, per organization%s%n",
          "WorkOS emulator",
          workOs.page().get(),
          portTaken ? " (port " + emulatorPort + " was taken)" : "");
    } else {
      out.printf("  %-16s %s%n", "WorkOS", workOs.baseUrl());
    }
    out.printf(
        "  %-16s %s%n",
        "Connect REST", worker.restUrl().resolve("/connectors/" + CONNECTOR + "/status"));
    out.printf(
        "  %-16s %s%n",
        "pipeline",
        inline
            ? domainTopic + " -> connector (rules inline) -> WorkOS"
            : domainTopic + " -> processor -> " + AUDIT_TOPIC + " -> connector -> WorkOS");
    out.printf("  %-16s %s (topic %s)%n", "rules", rules, domainTopic);
    out.printf("  %-16s %s, %s per second, looping%n", "events", events, format(rate));
    out.printf(
        "  %-16s bin/auditpipe dlq inspect --bootstrap-servers %s --topic %s%n",
        "dead letters", kafka, DLQ_TOPIC);
    out.println();
    out.flush();
  }

  /**
   * Whether output goes to a terminal. From JDK 22 on, {@code System.console()} is there even when
   * output is piped and {@code Console.isTerminal()} (JDK 22+) tells; JDK 17 to 21 return null.
   */
  // The null check is for JDK 17 to 21, where it is the answer; isTerminal() answers on JDK 22+.
  @SuppressWarnings("SystemConsoleNull")
  private static boolean onTerminal() {
    Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException beforeJdk22) {
      return true;
    }
  }

  private int runUntilStopped(PrintWriter out, SampleProducer producer, ProgressMeter meter)
      throws InterruptedException {
    boolean console = onTerminal() && duration.isEmpty();
    Instant produceUntil = duration.map(d -> Instant.now().plus(d)).orElse(Instant.MAX);
    Instant lastLine = Instant.EPOCH;
    while (!stopRequested.await(1, TimeUnit.SECONDS)) {
      Progress progress = meter.read();
      if (console) {
        out.print("\r" + progress.line());
        out.flush();
      } else if (Duration.between(lastLine, Instant.now()).toSeconds() >= 5) {
        out.println(progress.line());
        out.flush();
        lastLine = Instant.now();
      }
      if (progress.failed()) {
        return pipelineFailed(out, progress, console);
      }
      if (Instant.now().isAfter(produceUntil)) {
        producer.stop();
        return settle(out, producer, meter);
      }
    }
    if (console) {
      out.println();
    }
    out.println(meter.read().line());
    out.println("auditpipe local: stopping");
    out.flush();
    return ExitCodes.OK;
  }

  /** After producing stopped: waits until every record is accounted for, then summarizes. */
  private int settle(PrintWriter out, SampleProducer producer, ProgressMeter meter)
      throws InterruptedException {
    Instant until = Instant.now().plus(SETTLE_TIMEOUT);
    Progress progress = meter.read();
    while (Instant.now().isBefore(until)
        && !(producer.finished() && progress.settled())
        && stopRequested.getCount() > 0) {
      stopRequested.await(500, TimeUnit.MILLISECONDS);
      progress = meter.read();
      if (progress.failed()) {
        return pipelineFailed(out, progress, false);
      }
    }
    out.println(progress.line());
    boolean settled = producer.finished() && progress.settled();
    out.println(
        "auditpipe local: "
            + (settled ? "settled" : "NOT settled")
            + ": produced "
            + progress.produced()
            + ", delivered "
            + progress.delivered()
            + " + skipped "
            + progress.skipped()
            + " + dead-lettered "
            + progress.deadLettered()
            + " = "
            + (progress.delivered() + progress.skipped() + progress.deadLettered()));
    out.flush();
    return settled ? ExitCodes.OK : ExitCodes.RECORDS_FAILED;
  }

  private int pipelineFailed(PrintWriter out, Progress progress, boolean console) {
    if (console) {
      out.println();
    }
    out.println(progress.line());
    out.println(
        "auditpipe local: the pipeline cannot proceed: "
            + progress.failure().orElse("")
            + " (details in "
            + dataDir.toAbsolutePath().normalize().resolve("local.log")
            + "); stopping");
    out.flush();
    return ExitCodes.INVALID;
  }

  private void onShutdownSignal() {
    stopRequested.countDown();
    try {
      // The JVM exits when hooks return: give the main thread time to stop things in order.
      stopped.await(45, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeAll(Deque<AutoCloseable> running, PrintWriter err) {
    while (!running.isEmpty()) {
      AutoCloseable c = running.pop();
      try {
        c.close();
      } catch (Exception e) {
        err.println(
            "auditpipe local: while stopping "
                + c.getClass()
                    .getSimpleName()
                    .replaceAll("([a-z])([A-Z])", "$1 $2")
                    .toLowerCase(Locale.ROOT)
                + ": "
                + UserMessages.describe(e));
        err.flush();
      }
    }
  }

  private static String format(double rate) {
    return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
  }
}
