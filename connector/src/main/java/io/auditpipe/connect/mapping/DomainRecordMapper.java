package io.auditpipe.connect.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.connect.config.NullValueBehavior;
import io.auditpipe.connect.convert.ConversionException;
import io.auditpipe.connect.convert.RecordValueConverter;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.DeadLetterReasons;
import io.auditpipe.core.deadletter.FailureStage;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RecordContext;
import io.auditpipe.core.rules.UnmatchedPolicy;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Maps domain records with the compiled rules (input mode {@code domain}). A value given as JSON
 * text or bytes is read by the rules ({@link CompiledRules#readValue}: only what they read becomes
 * nodes), as the processor and {@code rules preview} read it; a value Connect's converter already
 * made into objects ({@code Struct}, map, list) is converted to a tree. Thread-safe.
 */
public final class DomainRecordMapper implements RecordMapper {

  private final CompiledRules rules;
  private final Optional<UnmatchedPolicy> unmatchedOverride;
  private final NullValueBehavior onNull;
  private final RecordValueConverter converter;

  public DomainRecordMapper(
      CompiledRules rules, Optional<UnmatchedPolicy> unmatchedOverride, NullValueBehavior onNull) {
    this.rules = rules;
    this.unmatchedOverride = unmatchedOverride;
    this.onNull = onNull;
    this.converter = new RecordValueConverter(rules::readValue);
  }

  @Override
  public RecordDisposition map(SinkRecord record) {
    if (record.value() == null) {
      return NullValues.disposition(record, onNull);
    }
    RecordContext context = context(record);
    JsonNode value;
    try {
      value = converter.value(record.valueSchema(), record.value());
    } catch (ConversionException e) {
      return new RecordDisposition.DeadLetterIt(
          DeadLetter.of(FailureStage.CONVERT, "", e.getMessage()));
    }
    if (value.isNull()) {
      // JSON null, or an envelope with a null payload: a tombstone, as the processor sees it.
      return NullValues.disposition(record, onNull);
    }
    return disposition(record, rules.map(value, context));
  }

  private RecordContext context(SinkRecord record) {
    return new RecordContext(
        record.topic(),
        record.kafkaPartition() == null ? 0 : record.kafkaPartition(),
        record.kafkaOffset(),
        Optional.ofNullable(record.timestamp()).map(Instant::ofEpochMilli),
        converter.key(record.keySchema(), record.key()),
        converter.headers(record));
  }

  private RecordDisposition disposition(SinkRecord record, MappingOutcome outcome) {
    if (outcome instanceof MappingOutcome.Mapped mapped) {
      if (mapped.events().isEmpty()) {
        return new RecordDisposition.Skip("the matching rules produced no event");
      }
      return new RecordDisposition.Deliver(mapped.events());
    }
    if (outcome instanceof MappingOutcome.Failed failed) {
      return new RecordDisposition.DeadLetterIt(failed.deadLetter());
    }
    // The rules may scope their policy to groups of topics; the connector's override wins.
    if (unmatchedOverride.orElseGet(() -> rules.unmatchedPolicy(record.topic()))
        == UnmatchedPolicy.DLQ) {
      return new RecordDisposition.DeadLetterIt(
          DeadLetter.of(FailureStage.MAP, "", DeadLetterReasons.unmatched(record.topic())));
    }
    return new RecordDisposition.Skip("no rule selects the record");
  }
}
