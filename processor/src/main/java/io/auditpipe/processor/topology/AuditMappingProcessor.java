package io.auditpipe.processor.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.avro.AuditEventRecord;
import io.auditpipe.core.avro.RecordCoordinates;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.DeadLetterReasons;
import io.auditpipe.core.deadletter.FailureStage;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.core.rules.MappingFailure;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RecordContext;
import io.auditpipe.core.rules.UnmatchedPolicy;
import io.auditpipe.processor.errors.DeadLetterException;
import io.auditpipe.processor.input.RecordInput;
import io.auditpipe.processor.metrics.RuleMetrics;
import io.auditpipe.processor.output.OutputFormat;
import io.auditpipe.processor.output.OutputHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Maps one domain record into its audit events, keyed by organization id, or fails it with a {@link
 * DeadLetterException} that the dead-letter handler turns into its DLQ record. A record is mapped
 * all or nothing: events are forwarded only after every rule succeeded.
 */
final class AuditMappingProcessor implements Processor<byte[], byte[], String, AuditEventRecord> {

  private static final String TOMBSTONE = "(tombstone)";

  private final CompiledRules rules;
  private final RecordInput input;
  private final byte[] format;
  private ProcessorContext<String, AuditEventRecord> context;
  private RuleMetrics metrics;

  AuditMappingProcessor(CompiledRules rules, OutputFormat format) {
    this.rules = rules;
    this.input = new RecordInput(rules);
    this.format = format.externalName().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void init(ProcessorContext<String, AuditEventRecord> context) {
    this.context = context;
    this.metrics = new RuleMetrics(context.metrics());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata source =
        context
            .recordMetadata()
            .orElseThrow(() -> new IllegalStateException("a source record has metadata"));
    Optional<JsonNode> value;
    try {
      value = input.value(record.value());
    } catch (DeadLetterException e) {
      metrics.deadLettered(e.deadLetter().rule());
      throw e;
    }
    if (value.isEmpty()) {
      metrics.skipped(TOMBSTONE);
      return;
    }
    RecordContext recordContext =
        new RecordContext(
            source.topic(),
            source.partition(),
            source.offset(),
            record.timestamp() < 0
                ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(record.timestamp())),
            input.key(record.key()),
            headers(record.headers()));
    MappingOutcome outcome = rules.map(value.get(), recordContext);
    if (outcome instanceof MappingOutcome.Mapped mapped) {
      RecordCoordinates coordinates =
          new RecordCoordinates(source.topic(), source.partition(), source.offset());
      for (MappedEvent event : mapped.events()) {
        context.forward(
            new Record<>(
                event.event().organizationId(),
                new AuditEventRecord(event, coordinates),
                record.timestamp(),
                outputHeaders(event, coordinates)));
        metrics.mapped(event.rule());
      }
    } else if (outcome instanceof MappingOutcome.Unmatched) {
      if (rules.unmatchedPolicy(source.topic()) == UnmatchedPolicy.SKIP) {
        metrics.skipped(RuleMetrics.UNMATCHED);
        return;
      }
      metrics.deadLettered(RuleMetrics.UNMATCHED);
      throw new DeadLetterException(
          DeadLetter.of(FailureStage.MAP, "", DeadLetterReasons.unmatched(source.topic())));
    } else if (outcome instanceof MappingOutcome.Failed failed) {
      throw deadLetter(failed);
    }
  }

  private DeadLetterException deadLetter(MappingOutcome.Failed failed) {
    Set<String> failedRules = new LinkedHashSet<>();
    for (MappingFailure failure : failed.failures()) {
      failedRules.add(failure.rule());
    }
    failedRules.forEach(metrics::deadLettered);
    return new DeadLetterException(failed.deadLetter());
  }

  private Headers outputHeaders(MappedEvent event, RecordCoordinates source) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(OutputHeaders.IDEMPOTENCY_KEY, utf8(event.idempotencyKey()));
    headers.add(OutputHeaders.RULE, utf8(event.rule()));
    headers.add(OutputHeaders.SOURCE_TOPIC, utf8(source.topic()));
    headers.add(OutputHeaders.SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
    headers.add(OutputHeaders.SOURCE_OFFSET, utf8(Long.toString(source.offset())));
    headers.add(OutputHeaders.FORMAT, format);
    return headers;
  }

  private static Map<String, String> headers(Headers headers) {
    Header[] all = headers.toArray();
    if (all.length == 0) {
      return Map.of();
    }
    Map<String, String> map = new HashMap<>();
    for (Header header : all) {
      if (header.value() != null) {
        map.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    return map;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
