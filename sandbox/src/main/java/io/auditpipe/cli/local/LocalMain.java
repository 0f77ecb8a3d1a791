package io.auditpipe.cli.local;

import io.auditpipe.cli.AuditpipeCommand;
import picocli.CommandLine;

/**
 * The sandbox jar's entry point: the {@code auditpipe} command with the real {@code local} (which
 * needs the broker and Connect runtime the ops CLI jar leaves out) instead of its pointer. {@code
 * bin/auditpipe local …} runs this jar.
 */
public final class LocalMain {

  private LocalMain() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** What {@link #main} runs, and what tests drive in-process. */
  public static CommandLine commandLine() {
    return AuditpipeCommand.commandLine(new LocalCommand());
  }
}
