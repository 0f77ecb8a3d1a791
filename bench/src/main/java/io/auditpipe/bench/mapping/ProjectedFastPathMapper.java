package io.auditpipe.bench.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RecordContext;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.core.rules.RulesValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Experimental: the fast path with the record parsed by {@link ProjectedTreeReader} (only the
 * subtrees the rules read) instead of a full {@code readTree}. Not part of the RESULT line; it
 * sizes a proposed change to core.
 */
final class ProjectedFastPathMapper implements OrderEventMapper {

  private final CompiledRules rules;
  private final RecordContext record;
  private final ProjectedTreeReader reader;

  ProjectedFastPathMapper(String rulesDocument, RecordContext record) {
    try {
      this.rules = RulesCompiler.compile(rulesDocument);
    } catch (RulesValidationException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    this.record = record;
    this.reader =
        new ProjectedTreeReader(new ObjectMapper().getFactory(), RulePaths.of(rulesDocument));
  }

  @Override
  public String name() {
    return "fast_projected";
  }

  @Override
  public byte[] map(byte[] value) {
    JsonNode tree;
    try {
      tree = reader.read(value);
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
