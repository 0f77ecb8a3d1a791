package io.auditpipe.cli;

import io.auditpipe.cli.rules.RulesCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code auditpipe} command. Each feature is a subcommand registered in {@code subcommands};
 * subcommands write results to {@link CommandLine#getOut()} and errors to {@link
 * CommandLine#getErr()} so they can be driven in-process.
 */
@Command(
    name = "auditpipe",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersionProvider.class,
    description = "Streams Kafka domain events into WorkOS Audit Logs.",
    subcommands = {
      RulesCommand.class,
      io.auditpipe.cli.ops.SchemasCommand.class,
      io.auditpipe.cli.ops.ExportCommand.class,
      io.auditpipe.cli.ops.RetentionCommand.class,
      io.auditpipe.cli.ops.DlqCommand.class,
      io.auditpipe.cli.ops.ReconcileCommand.class,
      LocalPointerCommand.class,
      io.auditpipe.emulator.EmulatorMain.class,
      io.auditpipe.cli.run.ProcessorCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Success.",
      "1:The command could not do its job: invalid input or configuration (a rules document, a"
          + " file, a missing API key), or a failure (Kafka or WorkOS unreachable or refusing, the"
          + " pipeline stopped).",
      "2:Invalid command-line usage (an unknown option, a value in the wrong format).",
      "3:Some records could not be processed (each reported, processing went on).",
      "4:reconcile: some expected events are missing from WorkOS (each reported)."
    },
    footerHeading = "%n",
    footer = {
      "Errors are one line without a stack trace; set AUDITPIPE_STACKTRACE=1 to see it.",
      "Durations are written 500ms, 30s, 2m, 1h or ISO-8601 (PT30S)."
    })
public final class AuditpipeCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command with the error reporting and option types every subcommand shares: what {@link
   * #main} runs, and what tests drive in-process.
   */
  public static CommandLine commandLine() {
    return withSharedHandling(new CommandLine(new AuditpipeCommand()));
  }

  /**
   * The command with {@code local} being {@code localCommand} instead of the pointer to the
   * sandbox: what the sandbox jar runs, which carries the broker and Connect this jar leaves out.
   */
  public static CommandLine commandLine(Object localCommand) {
    CommandLine commandLine = new CommandLine(new AuditpipeCommand());
    commandLine.getCommandSpec().removeSubcommand(LocalPointerCommand.NAME);
    commandLine.addSubcommand(LocalPointerCommand.NAME, localCommand);
    return withSharedHandling(commandLine);
  }

  private static CommandLine withSharedHandling(CommandLine commandLine) {
    ErrorReporter errors = ErrorReporter.fromEnvironment();
    commandLine.setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
    OptionTypes.install(commandLine);
    return commandLine;
  }
}
