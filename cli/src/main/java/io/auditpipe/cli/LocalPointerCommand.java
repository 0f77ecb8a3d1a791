package io.auditpipe.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code auditpipe local} in the ops CLI: the sandbox needs a Kafka broker and a Connect worker,
 * which this jar leaves out to stay small, so {@code bin/auditpipe local} runs it from its own jar
 * (built or unpacked on first use). This entry says so in the help and when called directly.
 */
@Command(
    name = LocalPointerCommand.NAME,
    description = {
      "The one-command sandbox (embedded Kafka broker, WorkOS emulator, Connect worker, processor)."
          + " Run it as: bin/auditpipe local [--help]. It lives in its own jar"
          + " (sandbox/target/auditpipe-local.jar, or lib/auditpipe-local.jar in the release"
          + " archive), which bin/auditpipe builds on first use."
    })
final class LocalPointerCommand implements Callable<Integer> {

  static final String NAME = "local";

  @Spec private CommandSpec spec;

  /** The sandbox's own options, not checked here. */
  @Unmatched private List<String> ignored = new ArrayList<>();

  @Override
  public Integer call() {
    spec.commandLine()
        .getErr()
        .println(
            "auditpipe local: the sandbox is not part of this jar; run it with bin/auditpipe local"
                + " (it builds or unpacks sandbox/target/auditpipe-local.jar on first use)");
    return ExitCodes.USAGE;
  }
}
