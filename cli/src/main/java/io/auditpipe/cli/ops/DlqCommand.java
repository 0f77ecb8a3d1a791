package io.auditpipe.cli.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code auditpipe dlq …}: the dead-letter topics of the connector and the processor. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = "Looks into and replays auditpipe's dead-letter topics.",
    subcommands = {InspectDlqCommand.class, ReplayDlqCommand.class})
public final class DlqCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
