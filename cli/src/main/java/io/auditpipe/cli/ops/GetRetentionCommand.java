package io.auditpipe.cli.ops;

import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code auditpipe retention get --org ORG}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Prints an organization's audit log retention in days.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:Success.", "1:WorkOS refused the call.", "2:Invalid command-line usage."})
public final class GetRetentionCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private WorkOsOptions workOs;

  @Option(names = "--org", required = true, paramLabel = "ORG_ID", description = "org_… id.")
  private String organizationId;

  @Override
  public Integer call() {
    return workOs.run(
        spec,
        (client, out) -> {
          OptionalInt days = client.getRetention(organizationId);
          out.println(
              organizationId
                  + ": "
                  + (days.isPresent() ? days.getAsInt() + " days" : "not set (WorkOS's default)"));
        });
  }
}
