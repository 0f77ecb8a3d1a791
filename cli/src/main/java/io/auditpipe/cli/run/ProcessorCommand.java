package io.auditpipe.cli.run;

import io.auditpipe.cli.ExitCodes;
import io.auditpipe.processor.AuditProcessor;
import io.auditpipe.processor.ProcessorRunner;
import io.auditpipe.processor.ProcessorStartException;
import io.auditpipe.processor.config.ProcessorConfig;
import io.auditpipe.processor.config.ProcessorConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code auditpipe processor --config processor.properties}: runs the Kafka Streams processor until
 * interrupted. The configuration and the rules are validated before anything connects to Kafka;
 * {@code AUDITPIPE_*} environment variables override the file (see docs/processor.md).
 */
@Command(
    name = "processor",
    mixinStandardHelpOptions = true,
    description =
        "Runs the Kafka Streams processor (domain topics -> audit-events) until interrupted.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Stopped cleanly.",
      "1:Invalid configuration or rules document, or the Streams application failed.",
      "2:Invalid command-line usage."
    })
public final class ProcessorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Processor properties file (environment variables AUDITPIPE_* override it).")
  Optional<Path> config = Optional.empty();

  /** The environment the configuration is read from; tests replace it. */
  Map<String, String> environment = System.getenv();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ProcessorConfig parsed;
    AuditProcessor processor;
    try {
      parsed = ProcessorConfigLoader.load(config, environment);
      processor = ProcessorRunner.prepare(parsed);
    } catch (ConfigException e) {
      err.println("invalid configuration: " + e.getMessage());
      err.flush();
      return ExitCodes.INVALID;
    } catch (ProcessorStartException e) {
      err.println(e.getMessage());
      err.flush();
      return ExitCodes.INVALID;
    }
    return ProcessorRunner.runUntilStopped(processor, parsed) == ProcessorRunner.Ending.FAILED
        ? ExitCodes.INVALID
        : ExitCodes.OK;
  }
}
