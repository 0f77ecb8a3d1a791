package io.auditpipe.cli.rules;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code auditpipe rules}: work with a rules document without Kafka or WorkOS. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Validate a rules document and preview what it makes of sample events.",
    subcommands = {ValidateRulesCommand.class, PreviewRulesCommand.class})
public final class RulesCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
