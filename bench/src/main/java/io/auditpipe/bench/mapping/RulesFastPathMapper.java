package io.auditpipe.bench.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RecordContext;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.core.rules.RulesValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * auditpipe's own path, as the connector and processor run it for JSON bytes: parse the value with
 * {@link CompiledRules#readValue} (only the parts the rules read become tree nodes), map it with
 * the compiled rules (which also validate the event and derive its idempotency key), write the
 * body.
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
    JsonNode tree;
    try {
      tree = rules.readValue(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    MappingOutcome outcome = rules.map(tree, record);
    if (outcome instanceof MappingOutcome.Mapped mapped && mapped.events().size() == 1) {
      return AuditEventJson.toRequestBody(mapped.events().get(0).event());
    }
    throw new IllegalStateException("expected exactly one mapped event, got " + outcome);
  }
}
