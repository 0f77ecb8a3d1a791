/**
 * Evaluation of compiled rules: values, conditions, fields and rules as direct accessors over a
 * Jackson tree and the record's context. Internal to {@code core}: other modules use {@link
 * io.auditpipe.core.rules.RulesCompiler} and {@link io.auditpipe.core.rules.CompiledRules}.
 */
package io.auditpipe.core.rules.eval;
