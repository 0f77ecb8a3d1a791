package io.auditpipe.processor;

import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.OrganizationResolver;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.core.rules.RulesValidationException;
import io.auditpipe.processor.config.ProcessorConfig;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the processor from a parsed, validated {@link ProcessorConfig} ({@code auditpipe processor}
 * parses the command line and the properties): compiles the rules, refuses what the processor
 * cannot do before anything connects to Kafka, then runs until the process is stopped.
 */
public final class ProcessorRunner {

  private static final Logger log = LoggerFactory.getLogger(ProcessorRunner.class);

  /** How a run ended. */
  public enum Ending {
    /** Stopped on request (SIGTERM, Ctrl-C) or by Streams shutting down cleanly. */
    STOPPED,
    /** Kafka Streams stopped on an error. */
    FAILED
  }

  private ProcessorRunner() {}

  /**
   * The processor for {@code config}, not yet started or connected.
   *
   * @throws ProcessorStartException when the rules document cannot be read, is invalid, needs what
   *     the processor does not do (organization lookups) or selects its own output
   */
  public static AuditProcessor prepare(ProcessorConfig config) throws ProcessorStartException {
    CompiledRules rules;
    try {
      // No resolver: rules that need one are refused below, never compiled to find nothing.
      rules = RulesCompiler.compile(config.rulesPath(), OrganizationResolver.none());
    } catch (RulesValidationException e) {
      throw new ProcessorStartException("invalid rules document: " + e.getMessage());
    } catch (NoSuchFileException e) {
      throw new ProcessorStartException(
          "cannot read the rules document: "
              + e.getFile()
              + ": no such file; set rules.path to the rules document");
    } catch (IOException e) {
      throw new ProcessorStartException(
          "cannot read the rules document: "
              + (e.getMessage() == null ? "I/O error" : e.getMessage()));
    }
    try {
      return AuditProcessor.create(config, rules);
    } catch (IllegalArgumentException e) {
      throw new ProcessorStartException("invalid rules document: " + e.getMessage());
    }
  }

  /** Starts {@code processor} and blocks until it stops; closes it. */
  public static Ending runUntilStopped(AuditProcessor processor, ProcessorConfig config) {
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
    return state == KafkaStreams.State.ERROR ? Ending.FAILED : Ending.STOPPED;
  }
}
