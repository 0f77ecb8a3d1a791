package io.auditpipe.cli.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code auditpipe schemas …}: WorkOS action schemas derived from a rules document. */
@Command(
    name = "schemas",
    mixinStandardHelpOptions = true,
    description = "WorkOS Audit Log action schemas derived from a rules document.",
    subcommands = {PushSchemasCommand.class})
public final class SchemasCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
