package io.auditpipe.cli.rules;

import io.auditpipe.cli.UserMessages;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.OrganizationResolver;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.core.rules.RulesError;
import io.auditpipe.core.rules.RulesValidationException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads and compiles a rules document from a file, turning every problem into report lines. */
public final class RulesFile {

  /** The outcome of loading a rules file. */
  public sealed interface Loaded permits Compiled, Rejected {}

  /** The document compiled. */
  public record Compiled(CompiledRules rules) implements Loaded {}

  /** The document could not be read or is invalid: one line per problem, each naming where. */
  public record Rejected(List<String> errors) implements Loaded {
    public Rejected {
      errors = List.copyOf(errors);
    }
  }

  private RulesFile() {}

  static Loaded load(Path file) {
    return load(file, OrganizationResolver.none());
  }

  public static Loaded load(Path file, OrganizationResolver resolver) {
    String document;
    try {
      document = Files.readString(file);
    } catch (CharacterCodingException e) {
      return new Rejected(List.of(file + ": cannot read: expected UTF-8 text"));
    } catch (IOException e) {
      String reason = UserMessages.describe(e);
      return new Rejected(
          List.of(reason.startsWith(file.toString()) ? reason : file + ": cannot read: " + reason));
    }
    try {
      return new Compiled(RulesCompiler.compile(document, resolver));
    } catch (RulesValidationException e) {
      return new Rejected(e.errors().stream().map(error -> line(file, error)).toList());
    }
  }

  private static String line(Path file, RulesError error) {
    return file + ": " + error;
  }
}
