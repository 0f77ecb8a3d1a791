package io.auditpipe.cli.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.cli.ExitCodes;
import io.auditpipe.cli.UserMessages;
import io.auditpipe.core.rules.ActionSchemas;
import io.auditpipe.core.rules.ActionSchemas.ActionSchema;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.core.rules.RulesValidationException;
import io.auditpipe.workos.api.AuditLogSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code auditpipe schemas push RULES.json}: creates, for every action the rules produce, a WorkOS
 * schema naming its target types and metadata keys with their types.
 */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description = {
      "Derives each action's WorkOS schema from the rules (target types; event, actor and target"
          + " metadata keys with their types) and creates it through the WorkOS API: a new schema"
          + " version per action.",
      "What the rules compute from records (an action from a template, a target type from a"
          + " path) cannot be derived; each such case is reported on stderr."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Every derived schema was created (or printed, with --dry-run).",
      "1:The rules document is invalid or cannot be read, or WorkOS refused a schema.",
      "2:Invalid command-line usage."
    })
public final class PushSchemasCommand implements Callable<Integer> {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Spec private CommandSpec spec;

  @Mixin private WorkOsOptions workOs;

  @Parameters(index = "0", paramLabel = "RULES.json", description = "The rules document.")
  private Path rulesFile;

  @Option(
      names = "--dry-run",
      description = "Print each request instead of sending it; needs no API key.")
  private boolean dryRun;

  @Override
  public Integer call() throws JsonProcessingException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CompiledRules rules;
    try {
      rules = RulesCompiler.compile(Files.readString(rulesFile));
    } catch (IOException e) {
      String reason = UserMessages.describe(e);
      err.println(
          reason.startsWith(rulesFile.toString())
              ? reason
              : rulesFile + ": cannot read: " + reason);
      return ExitCodes.INVALID;
    } catch (RulesValidationException e) {
      e.errors().forEach(error -> err.println(rulesFile + ": " + error));
      return ExitCodes.INVALID;
    }
    ActionSchemas derived = rules.actionSchemas();
    derived.notes().forEach(note -> err.println("note: " + note));
    if (dryRun) {
      for (Map.Entry<String, ActionSchema> e : derived.schemas().entrySet()) {
        out.println("POST /audit_logs/actions/" + e.getKey() + "/schemas");
        out.println(
            MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(e.getValue().requestBody()));
      }
      out.flush();
      return ExitCodes.OK;
    }
    return workOs.run(
        spec,
        (client, output) -> {
          for (Map.Entry<String, ActionSchema> e : derived.schemas().entrySet()) {
            AuditLogSchema created = client.createSchema(e.getKey(), e.getValue().requestBody());
            output.println(e.getKey() + ": created schema version " + created.version());
            output.flush();
          }
        });
  }
}
