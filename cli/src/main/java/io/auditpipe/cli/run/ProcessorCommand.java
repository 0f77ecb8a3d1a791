package io.auditpipe.cli.run;

import io.auditpipe.processor.ProcessorMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code auditpipe processor --config processor.properties}: runs the Kafka Streams processor until
 * interrupted. The configuration is validated before anything connects to Kafka; {@code
 * AUDITPIPE_*} environment variables override the file (see docs/processor.md).
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
    String[] args = config.map(p -> new String[] {"--config", p.toString()}).orElse(new String[0]);
    PrintStream err = printStream(spec);
    try {
      return ProcessorMain.run(args, environment, err);
    } finally {
      err.flush();
    }
  }

  /**
   * ProcessorMain reports on a PrintStream; picocli's error writer is where this command's errors
   * belong.
   */
  private static PrintStream printStream(CommandSpec spec) {
    PrintWriter writer = spec.commandLine().getErr();
    ByteArrayOutputStream buffer =
        new ByteArrayOutputStream() {
          @Override
          public synchronized void flush() {
            writer.print(toString(StandardCharsets.UTF_8));
            writer.flush();
            reset();
          }
        };
    return new PrintStream(buffer, true, StandardCharsets.UTF_8);
  }
}
