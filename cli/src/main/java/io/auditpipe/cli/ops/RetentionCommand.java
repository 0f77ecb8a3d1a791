package io.auditpipe.cli.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code auditpipe retention get|set}: how long WorkOS keeps an organization's events. */
@Command(
    name = "retention",
    mixinStandardHelpOptions = true,
    description = "Reads or sets how long WorkOS keeps an organization's audit log events.",
    subcommands = {GetRetentionCommand.class, SetRetentionCommand.class})
public final class RetentionCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
