package io.auditpipe.cli;

import io.auditpipe.cli.rules.RulesCommand;
import java.io.PrintWriter;
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
      io.auditpipe.cli.local.LocalCommand.class,
      io.auditpipe.emulator.EmulatorMain.class,
      io.auditpipe.cli.run.ProcessorCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Success.",
      "1:Invalid input the command cannot proceed with (e.g. an invalid rules document).",
      "2:Invalid command-line usage.",
      "3:Some records could not be processed (reported, processing went on)."
    })
public final class AuditpipeCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  public static void main(String[] args) {
    CommandLine commandLine =
        new CommandLine(new AuditpipeCommand())
            .setExecutionExceptionHandler(AuditpipeCommand::reportUnexpected);
    System.exit(commandLine.execute(args));
  }

  /**
   * An exception no subcommand expected: one line instead of a stack trace, unless {@code
   * AUDITPIPE_STACKTRACE} is set.
   */
  private static int reportUnexpected(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    if (System.getenv("AUDITPIPE_STACKTRACE") != null) {
      e.printStackTrace(err);
    } else {
      err.println(
          commandLine.getCommandSpec().qualifiedName()
              + ": unexpected "
              + e.getClass().getName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + " (set AUDITPIPE_STACKTRACE=1 for the stack trace)");
    }
    err.flush();
    return ExitCodes.INVALID;
  }
}
