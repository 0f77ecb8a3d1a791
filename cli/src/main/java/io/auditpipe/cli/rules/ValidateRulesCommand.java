package io.auditpipe.cli.rules;

import io.auditpipe.cli.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code auditpipe rules validate RULES.json}: every problem in a rules document, or "valid". */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Checks a rules document: its structure, every rule, template, path and expression."
            + " Prints every error found to stderr, one per line, each naming its location.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:The document is valid.",
      "1:The document is invalid or cannot be read; every error is printed to stderr.",
      "2:Invalid command-line usage."
    })
public final class ValidateRulesCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RULES.json", description = "The rules document.")
  private Path rulesFile;

  @Override
  public Integer call() {
    RulesFile.Loaded loaded = RulesFile.load(rulesFile);
    if (loaded instanceof RulesFile.Rejected rejected) {
      PrintWriter err = spec.commandLine().getErr();
      rejected.errors().forEach(err::println);
      err.println(rulesFile + ": " + rejected.errors().size() + " error(s)");
      err.flush();
      return ExitCodes.INVALID;
    }
    var rules = ((RulesFile.Compiled) loaded).rules();
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        rulesFile
            + ": valid, "
            + rules.ruleNames().size()
            + " rule(s): "
            + String.join(", ", rules.ruleNames()));
    out.flush();
    return ExitCodes.OK;
  }
}
