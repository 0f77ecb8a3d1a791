package io.auditpipe.cli.ops;

import io.auditpipe.cli.ExitCodes;
import io.auditpipe.workos.api.WorkOsApiClient;
import io.auditpipe.workos.api.WorkOsApiException;
import java.io.PrintWriter;
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
    PrintWriter out = spec.commandLine().getOut();
    try (WorkOsApiClient client = workOs.client()) {
      OptionalInt days = client.getRetention(organizationId);
      out.println(
          organizationId
              + ": "
              + (days.isPresent() ? days.getAsInt() + " days" : "not set (WorkOS's default)"));
      out.flush();
      return ExitCodes.OK;
    } catch (WorkOsApiException | IllegalStateException | IllegalArgumentException e) {
      spec.commandLine().getErr().println(e.getMessage());
      spec.commandLine().getErr().flush();
      return ExitCodes.INVALID;
    }
  }
}
