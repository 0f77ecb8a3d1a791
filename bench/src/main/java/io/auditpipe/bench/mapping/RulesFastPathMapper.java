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
 * auditpipe's path for JSON bytes, as the connector and the processor take it: {@link
 * CompiledRules#readValue} (Jackson's streaming parser; only the rules' paths become nodes), {@code
 * map} (the event validated and its idempotency key derived), then the body written with Jackson's
 * generator.
 */
final class RulesFastPathMapper implements OrderEventMapper {

  private final CompiledRules rules;
  private final RecordContext record;

  RulesFastPathMapper(String rulesDocument, RecordContext record) {
    try {
      this.rules = RulesCompiler.compile(rulesDocument);
    } catch (RulesValidationException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    this.record = record;
  }

  @Override
  public String name() {
    return "fast";
  }

  @Override
  public byte[] map(byte[] value) {
    MappingOutcome outcome;
    try {
      outcome = rules.map(rules.readValue(value), record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (outcome instanceof MappingOutcome.Mapped mapped && mapped.events().size() == 1) {
      return AuditEventJson.toRequestBody(mapped.events().get(0).event());
    }
    throw new IllegalStateException("expected exactly one mapped event, got " + outcome);
  }
}
