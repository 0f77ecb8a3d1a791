package io.auditpipe.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** One in-process run of the auditpipe command, with what it printed and its exit code. */
public record CommandRun(int exitCode, String out, String err) {

  public static CommandRun of(String... args) {
    return of(AuditpipeCommand.commandLine(), args);
  }

  /** A run of {@code commandLine} (another jar's command, such as the sandbox's). */
  public static CommandRun of(CommandLine commandLine, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CommandRun(exitCode, out.toString(), err.toString());
  }

  /** The non-empty lines of stdout. */
  public List<String> outLines() {
    return lines(out);
  }

  /** The non-empty lines of stderr. */
  public List<String> errLines() {
    return lines(err);
  }

  private static List<String> lines(String text) {
    return Arrays.stream(text.split("\\R")).filter(l -> !l.isBlank()).toList();
  }
}
