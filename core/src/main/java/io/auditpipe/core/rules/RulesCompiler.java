package io.auditpipe.core.rules;

/**
 * Parses, validates and compiles a rules document into {@link CompiledRules}.
 *
 * <p>Placeholder signature agreed for the other modules; the implementation lands with the rules
 * language.
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
    throw new UnsupportedOperationException("rules compiler not implemented yet");
  }
}
