package io.auditpipe.cli.ops;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code auditpipe retention set --org ORG --days 30|365}. */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    description = "Sets an organization's audit log retention.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:Success.", "1:WorkOS refused the call.", "2:Invalid command-line usage."})
public final class SetRetentionCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private WorkOsOptions workOs;

  @Option(names = "--org", required = true, paramLabel = "ORG_ID", description = "org_… id.")
  private String organizationId;

  @Option(
      names = "--days",
      required = true,
      paramLabel = "30|365",
      description = "Retention in days; WorkOS accepts 30 or 365.")
  private int days;

  @Override
  public Integer call() {
    if (days != 30 && days != 365) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--days: expected 30 or 365, found " + days);
    }
    return workOs.run(
        spec,
        (client, out) -> {
          int answered = client.setRetention(organizationId, days);
          out.println(organizationId + ": retention set to " + answered + " days");
        });
  }
}
