package io.auditpipe.processor;

import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.OrganizationResolver;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.core.rules.RulesValidationException;
import io.auditpipe.processor.config.ProcessorConfig;
import io.auditpipe.processor.config.ProcessorConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar auditpipe-processor.jar --config processor.properties}: loads and validates the
 * configuration and the rules, then runs until the process is stopped.
 *
 * <p>Exit codes, as every auditpipe command: 0 after a clean stop, 1 when the configuration or
 * rules document is invalid or Kafka Streams stopped on an error, 2 for a bad command line.
 */
public final class ProcessorMain {

  private static final Logger log = LoggerFactory.getLogger(ProcessorMain.class);

  public static final int EXIT_OK = 0;

  /** The Streams application failed, or the configuration or rules document is invalid. */
  public static final int EXIT_FAILED = 1;

  /** The command line is wrong. */
  public static final int EXIT_USAGE = 2;

  private static final String USAGE = "usage: auditpipe-processor --config <processor.properties>";

  private ProcessorMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.err));
  }

  /** Runs the processor until it stops; returns the exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream err) {
    Path configFile = null;
    for (int i = 0; i < args.length; i++) {
      if (("--config".equals(args[i]) || "-c".equals(args[i])) && i + 1 < args.length) {
        configFile = Path.of(args[++i]);
      } else if (args[i].startsWith("--config=")) {
        configFile = Path.of(args[i].substring("--config=".length()));
      } else {
        err.println("unknown argument: " + args[i]);
        err.println(USAGE);
        return EXIT_USAGE;
      }
    }
    ProcessorConfig config;
    CompiledRules rules;
    AuditProcessor processor;
    try {
      config = ProcessorConfigLoader.load(configFile, env);
      rules = RulesCompiler.compile(config.rulesPath(), OrganizationResolver.none());
      processor = AuditProcessor.create(config, rules);
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("invalid configuration: " + e.getMessage());
      return EXIT_FAILED;
    } catch (RulesValidationException e) {
      err.println("invalid rules document: " + e.getMessage());
      return EXIT_FAILED;
    } catch (NoSuchFileException e) {
      err.println("cannot read the rules document: " + e.getFile() + ": no such file");
      return EXIT_FAILED;
    } catch (IOException e) {
      err.println(
          "cannot read the rules document: "
              + (e.getMessage() == null ? "I/O error" : e.getMessage()));
      return EXIT_FAILED;
    }
    return runUntilStopped(processor, config);
  }

  private static int runUntilStopped(AuditProcessor processor, ProcessorConfig config) {
    CountDownLatch stopped = new CountDownLatch(1);
    KafkaStreams streams = processor.streams();
    streams.setStateListener(
        (newState, oldState) -> {
          if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
            stopped.countDown();
          }
        });
    Thread hook =
        new Thread(
            () -> {
              processor.close(Duration.ofSeconds(30));
              stopped.countDown();
            },
            "auditpipe-processor-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    log.info(
        "Starting auditpipe processor: rules {}, output {} ({}), dead letters {}",
        config.rulesPath(),
        config.outputTopic(),
        config.outputFormat().externalName(),
        config.dlqTopic());
    processor.start();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    KafkaStreams.State state = streams.state();
    processor.close(Duration.ofSeconds(30));
    return state == KafkaStreams.State.ERROR ? EXIT_FAILED : EXIT_OK;
  }
}
