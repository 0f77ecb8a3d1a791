package io.auditpipe.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place an error reaches the user: a line naming the command and what to do, never a stack
 * trace or a class name — unless {@value #STACKTRACE_ENV} is set, for bug reports.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

  static final String STACKTRACE_ENV = "AUDITPIPE_STACKTRACE";

  private final boolean stackTraces;

  ErrorReporter(boolean stackTraces) {
    this.stackTraces = stackTraces;
  }

  static ErrorReporter fromEnvironment() {
    String v = System.getenv(STACKTRACE_ENV);
    return new ErrorReporter(v != null && !v.isBlank() && !v.equals("0"));
  }

  /** A wrong command line: the problem and where to find the usage, exit code 2. */
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    if (stackTraces) {
      e.printStackTrace(err);
    }
    err.println(cmd.getCommandSpec().qualifiedName() + ": " + UserMessages.clean(e.getMessage()));
    UnmatchedArgumentException.printSuggestions(e, err);
    if (!cmd.getSubcommands().isEmpty()
        && cmd.getParseResult() != null
        && !cmd.getParseResult().hasSubcommand()) {
      cmd.usage(err, cmd.getColorScheme());
    } else {
      err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** An exception no subcommand turned into a result: one line, exit code 1. */
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    if (e instanceof ParameterException p) {
      return handleParseException(p, parseResult.originalArgs().toArray(String[]::new));
    }
    PrintWriter err = cmd.getErr();
    if (stackTraces) {
      e.printStackTrace(err);
    }
    boolean expected =
        e instanceof java.io.IOException
            || e instanceof java.io.UncheckedIOException
            || e instanceof IllegalArgumentException
            || e instanceof IllegalStateException;
    String name = cmd.getCommandSpec().qualifiedName();
    if (expected) {
      err.println(name + ": " + UserMessages.describe(e));
    } else if (stackTraces) {
      err.println(name + ": internal error; please report it with the stack trace above");
    } else {
      // A bug's message (a null pointer, an index) helps no one but its reader in the code.
      err.println(
          name
              + ": internal error; set "
              + STACKTRACE_ENV
              + "=1 for the stack trace and report it");
    }
    err.flush();
    return ExitCodes.INVALID;
  }
}
