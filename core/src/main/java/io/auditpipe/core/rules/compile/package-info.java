/**
 * Parsing, validation and compilation of rules documents into {@link
 * io.auditpipe.core.rules.eval.RuleSet}s; every problem is collected with its location. Internal to
 * {@code core}: other modules use {@link io.auditpipe.core.rules.RulesCompiler}.
 */
package io.auditpipe.core.rules.compile;
