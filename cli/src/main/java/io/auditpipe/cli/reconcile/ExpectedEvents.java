package io.auditpipe.cli.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.core.rules.MappingFailure;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RecordContext;
import io.auditpipe.core.rules.UnmatchedPolicy;
import io.auditpipe.processor.errors.DeadLetterException;
import io.auditpipe.processor.input.RecordInput;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Maps source records with the rules as the processor does (its {@link RecordInput} reads key and
 * value; the record context carries key, headers, coordinates and timestamp) and sorts the outcome:
 * expected events per organization, records dead-lettered or unmappable by design, and records
 * skipped by design (tombstones, unmatched under {@code "unmatched": "skip"}).
 */
public final class ExpectedEvents {

  private final CompiledRules rules;
  private final Map<String, Unresolved> deadLetters;
  private final RecordInput input;
  private final Consumer<ExpectedEvent> expected;
  private final Consumer<Unresolved> unresolved;
  private final Set<String> organizations = new TreeSet<>();
  private long expectedCount;
  private long skipped;
  private long records;

  /**
   * @param deadLettered records found in the dead-letter topics, by {@link #coordinates}: their
   *     events are not expected in WorkOS
   * @param expected receives each expected event
   * @param unresolved receives each record not delivered by design
   */
  public ExpectedEvents(
      CompiledRules rules,
      Map<String, Unresolved> deadLettered,
      Consumer<ExpectedEvent> expected,
      Consumer<Unresolved> unresolved) {
    this.rules = rules;
    this.input = new RecordInput(rules);
    this.deadLetters = Map.copyOf(deadLettered);
    this.expected = expected;
    this.unresolved = unresolved;
  }

  /** The key of a record's coordinates. */
  public static String coordinates(String topic, int partition, long offset) {
    return topic + "-" + partition + "@" + offset;
  }

  public void accept(ConsumerRecord<byte[], byte[]> record) {
    records++;
    String key = coordinates(record.topic(), record.partition(), record.offset());
    Unresolved deadLetter = deadLetters.get(key);
    if (deadLetter != null) {
      unresolved.accept(deadLetter);
      return;
    }
    Optional<JsonNode> value;
    try {
      value = input.value(record.value());
    } catch (DeadLetterException e) {
      unresolved.accept(unresolved(record, "convert", "", e.deadLetter().reason()));
      return;
    }
    if (value.isEmpty()) {
      skipped++;
      return;
    }
    RecordContext context =
        new RecordContext(
            record.topic(),
            record.partition(),
            record.offset(),
            record.timestamp() < 0
                ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(record.timestamp())),
            input.key(record.key()),
            headers(record));
    MappingOutcome outcome = rules.map(value.get(), context);
    if (outcome instanceof MappingOutcome.Mapped mapped) {
      for (MappedEvent event : mapped.events()) {
        ExpectedEvent e =
            ExpectedEvent.of(record.topic(), record.partition(), record.offset(), event);
        organizations.add(e.organizationId());
        expectedCount++;
        expected.accept(e);
      }
    } else if (outcome instanceof MappingOutcome.Unmatched) {
      if (rules.unmatchedPolicy() == UnmatchedPolicy.SKIP) {
        skipped++;
      } else {
        unresolved.accept(
            unresolved(record, "map", "", "no rule selects the record (unmatched: dlq)"));
      }
    } else if (outcome instanceof MappingOutcome.Failed failed) {
      MappingFailure first = failed.failures().get(0);
      unresolved.accept(
          unresolved(
              record,
              first.stage().externalName(),
              failed.failures().stream()
                  .map(MappingFailure::rule)
                  .distinct()
                  .collect(Collectors.joining(",")),
              first.toString()));
    }
  }

  private static Unresolved unresolved(
      ConsumerRecord<?, ?> record, String stage, String rule, String reason) {
    return new Unresolved(record.topic(), record.partition(), record.offset(), stage, rule, reason);
  }

  /** Header values as UTF-8 text, the last value winning, as the pipeline gives them to rules. */
  private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header h : record.headers()) {
      if (h.value() != null) {
        headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    return headers;
  }

  /** The ids of the organizations with expected events. */
  public Set<String> organizations() {
    return Collections.unmodifiableSet(organizations);
  }

  public long expected() {
    return expectedCount;
  }

  public long skipped() {
    return skipped;
  }

  public long records() {
    return records;
  }
}
