package io.auditpipe.bench.mapping;

import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RecordContext;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.core.rules.RulesValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * auditpipe's own path for JSON bytes: {@link CompiledRules#mapJson} (one pass over the bytes
 * reading only the rules' paths; the event validated and its idempotency key derived), then the
 * body written. As {@code fast_tree}, the path before {@code mapJson} existed, for comparison:
 * {@link CompiledRules#readValue} into a (projected) tree, then {@code map}.
 */
final class RulesFastPathMapper implements OrderEventMapper {

  private final CompiledRules rules;
  private final RecordContext record;
  private final boolean viaTree;

  RulesFastPathMapper(String rulesDocument, RecordContext record, boolean viaTree) {
    try {
      this.rules = RulesCompiler.compile(rulesDocument);
    } catch (RulesValidationException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    this.record = record;
    this.viaTree = viaTree;
  }

  @Override
  public String name() {
    return viaTree ? "fast_tree" : "fast";
  }

  @Override
  public byte[] map(byte[] value) {
    MappingOutcome outcome;
    try {
      outcome = viaTree ? rules.map(rules.readValue(value), record) : rules.mapJson(value, record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (outcome instanceof MappingOutcome.Mapped mapped && mapped.events().size() == 1) {
      return AuditEventJson.toRequestBody(mapped.events().get(0).event());
    }
    throw new IllegalStateException("expected exactly one mapped event, got " + outcome);
  }
}
