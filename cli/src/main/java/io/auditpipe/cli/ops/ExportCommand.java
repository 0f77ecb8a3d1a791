package io.auditpipe.cli.ops;

import io.auditpipe.cli.ExitCodes;
import io.auditpipe.cli.UserMessages;
import io.auditpipe.workos.api.AuditLogExport;
import io.auditpipe.workos.api.ExportRequest;
import io.auditpipe.workos.api.WorkOsApiClient;
import io.auditpipe.workos.api.WorkOsApiException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code auditpipe export --org … --from … --to … [--action …]}: creates a WorkOS export, waits for
 * it with a progress indicator and downloads its CSV.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Exports an organization's audit log events in a time range as CSV: creates a WorkOS"
          + " export, waits until WorkOS has built it, and downloads the file.",
      "WorkOS exports at most the past three months."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:The CSV was downloaded.",
      "1:WorkOS refused the export, it failed, or it was not ready in time.",
      "2:Invalid command-line usage."
    })
public final class ExportCommand implements Callable<Integer> {

  private static final char[] SPINNER = {'|', '/', '-', '\\'};

  @Spec private CommandSpec spec;

  @Mixin private WorkOsOptions workOs;

  @Option(names = "--org", required = true, paramLabel = "ORG_ID", description = "org_… id.")
  private String organizationId;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "INSTANT",
      description = "Start of the range, ISO-8601 (e.g. 2026-03-01T00:00:00Z).")
  private Instant from;

  @Option(names = "--to", required = true, paramLabel = "INSTANT", description = "End of range.")
  private Instant to;

  @Option(
      names = "--action",
      paramLabel = "ACTION",
      description = "Only these actions; repeat for several.")
  private List<String> actions = new ArrayList<>();

  @Option(
      names = "--actor-id",
      paramLabel = "ID",
      description = "Only events by these actor ids; repeat for several.")
  private List<String> actorIds = new ArrayList<>();

  @Option(
      names = "--target",
      paramLabel = "TYPE",
      description = "Only events with these target types; repeat for several.")
  private List<String> targets = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Where to write the CSV (default: audit-log-export-ORG_ID.csv; '-': stdout).")
  private Optional<Path> output = Optional.empty();

  @Option(
      names = "--timeout",
      defaultValue = "PT10M",
      paramLabel = "DURATION",
      description = "How long to wait for WorkOS to build the export (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(
      names = "--poll-interval",
      defaultValue = "PT1S",
      paramLabel = "DURATION",
      description = "How often to ask whether it is ready (default: ${DEFAULT-VALUE}).")
  private Duration pollInterval;

  @Override
  public Integer call() {
    if (!to.isAfter(from)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--to: expected an instant after --from (" + from + "), found " + to);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ExportRequest request =
        new ExportRequest(organizationId, from, to, actions, List.of(), actorIds, targets);
    try (WorkOsApiClient client = workOs.client()) {
      AuditLogExport export = client.createExport(request);
      export = awaitReady(client, export, err);
      if (output.map(p -> p.toString().equals("-")).orElse(false)) {
        out.print(client.downloadCsv(export));
        out.flush();
      } else {
        Path target = output.orElse(Path.of("audit-log-export-" + organizationId + ".csv"));
        client.downloadCsv(export, target);
        err.println(export.id() + ": " + lines(target) + " line(s) written to " + target);
      }
      err.flush();
      return ExitCodes.OK;
    } catch (WorkOsApiException | IllegalStateException | IllegalArgumentException e) {
      err.println();
      err.println(UserMessages.describe(e));
      err.flush();
      return ExitCodes.INVALID;
    }
  }

  private AuditLogExport awaitReady(
      WorkOsApiClient client, AuditLogExport export, PrintWriter err) {
    Instant until = Instant.now().plus(timeout);
    Instant started = Instant.now();
    int tick = 0;
    while (!export.ready()) {
      if (export.failed()) {
        throw new IllegalStateException(
            export.id() + ": expected the export to become ready, found state " + export.state());
      }
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException(
            export.id() + ": still " + export.state() + " after " + timeout + " (--timeout)");
      }
      err.print(
          "\r"
              + SPINNER[tick++ % SPINNER.length]
              + " export "
              + export.id()
              + " "
              + export.state()
              + " ("
              + Duration.between(started, Instant.now()).toSeconds()
              + " s)");
      err.flush();
      try {
        Thread.sleep(pollInterval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(export.id() + ": interrupted while waiting", e);
      }
      export = client.getExport(export.id());
    }
    err.println(
        "\rexport "
            + export.id()
            + " ready after "
            + Duration.between(started, Instant.now()).toSeconds()
            + " s");
    return export;
  }

  private static long lines(Path file) {
    try (var lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }
}
