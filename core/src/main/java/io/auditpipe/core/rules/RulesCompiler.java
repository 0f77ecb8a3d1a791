package io.auditpipe.core.rules;

import io.auditpipe.core.rules.compile.DocumentCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Parses, validates and compiles a rules document into {@link CompiledRules}. Validation reports
 * every problem at once, each with its location ({@code rules[2] "order-paid" actor.id}); the
 * compiled rules are immutable and thread-safe. The language is described in {@code docs/rules.md}
 * and {@code mapping-rules.schema.json}.
 */
public final class RulesCompiler {

  private RulesCompiler() {}

  /** Compiles a document that does not use external-id organization lookups. */
  public static CompiledRules compile(String document) throws RulesValidationException {
    return compile(document, OrganizationResolver.none());
  }

  /**
   * Compiles a document, resolving {@code external_id} organization lookups through {@code
   * resolver}.
   */
  public static CompiledRules compile(String document, OrganizationResolver resolver)
      throws RulesValidationException {
    return compile(document, resolver, Clock.systemUTC());
  }

  /**
   * Compiles a document whose future-{@code occurred_at} policy measures "now" with {@code clock}
   * (tests and tools pin it).
   */
  public static CompiledRules compile(String document, OrganizationResolver resolver, Clock clock)
      throws RulesValidationException {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(resolver, "resolver");
    Objects.requireNonNull(clock, "clock");
    return DocumentCompiler.compile(document, resolver, clock);
  }

  /** Reads a UTF-8 rules file and compiles it. */
  public static CompiledRules compile(Path file, OrganizationResolver resolver)
      throws IOException, RulesValidationException {
    return compile(Files.readString(file, StandardCharsets.UTF_8), resolver);
  }

  /**
   * Every problem of a document; empty when it is valid. For tools such as {@code rules validate}.
   */
  public static List<RulesError> validate(String document) {
    try {
      compile(document);
      return List.of();
    } catch (RulesValidationException e) {
      return e.errors();
    }
  }
}
