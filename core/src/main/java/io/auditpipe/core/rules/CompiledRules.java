package io.auditpipe.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled rules document: compile once with {@link RulesCompiler}, then map any number of
 * records from any number of threads.
 */
public interface CompiledRules {

  /**
   * Maps one record. Never throws for bad record content: every problem is a {@link
   * MappingOutcome.Failed} naming the rule and location.
   *
   * @param value the record's value as a JSON tree
   * @param context the record's key, coordinates, timestamp and headers
   */
  MappingOutcome map(JsonNode value, RecordContext context);

  /**
   * Maps one record whose value is UTF-8 JSON, in one pass over the bytes: the outcome is exactly
   * that of {@code map(readValue(json), context)} (same events, idempotency keys and failures), but
   * for rules without JSONata no tree is built: only the values at the rules' paths are read, and
   * the rest of the record is tokenized and skipped. Thread-safe. (Not an overload of {@code map}:
   * that would make existing {@code map(null, context)} calls ambiguous.)
   *
   * @throws IOException if {@code json} is not valid JSON, as {@link #readValue} does
   */
  default MappingOutcome mapJson(byte[] json, RecordContext context) throws IOException {
    return map(readValue(json), context);
  }

  /**
   * Parses a record value (UTF-8 JSON) into a tree for {@link #map}: only the parts the rules read
   * are built, the rest is tokenized and skipped, so this is cheaper than {@code
   * ObjectMapper.readTree} and maps identically. Use the tree only with these rules. Malformed JSON
   * throws, as {@code readTree} does. Thread-safe.
   *
   * @throws IOException if {@code json} is not valid JSON
   */
  JsonNode readValue(byte[] json) throws IOException;

  /** The exact topic names the rules select. */
  Set<String> topics();

  /** A pattern for the topics the rules select by regex, if any rule does. */
  Optional<Pattern> topicPattern();

  /** What a record that no rule selects does: the document's policy. */
  UnmatchedPolicy unmatchedPolicy();

  /**
   * What a record of {@code topic} that no rule selects does: the policy of the rule groups that
   * read the topic ({@code dlq} if any of them says so), else the document's.
   */
  default UnmatchedPolicy unmatchedPolicy(String topic) {
    return unmatchedPolicy();
  }

  /**
   * Whether some record no rule selects may be sent to the dead-letter topic: the document's policy
   * or a group's is {@code dlq}.
   */
  default boolean mayDeadLetterUnmatched() {
    return unmatchedPolicy() == UnmatchedPolicy.DLQ;
  }

  /**
   * Whether some rule's events carry an {@link OrganizationRef.ExternalId} for the deliverer to
   * resolve (only when compiled with {@link OrganizationResolver#atDelivery()}).
   */
  default boolean looksUpOrganizations() {
    return false;
  }

  /** The rule names, in document order. */
  List<String> ruleNames();

  /**
   * What each rule says (location, topics, the shape of its events, whether it looks up
   * organizations), in document order: what tools need without re-reading the document.
   */
  List<RuleSummary> rules();

  /** Whether some rule reads records of {@code topic} (by name or by pattern). */
  default boolean selectsTopic(String topic) {
    return rules().stream().anyMatch(r -> r.selectsTopic(topic));
  }

  /** The WorkOS schema each action implies, as {@code auditpipe schemas push} creates them. */
  default ActionSchemas actionSchemas() {
    return ActionSchemas.derive(rules());
  }

  /**
   * The rules whose {@code organization_id} resolves an external id, each as its location ({@code
   * rules[2] "order-paid"}): whoever maps with these rules must be able to ask WorkOS.
   */
  default List<String> rulesLookingUpOrganizations() {
    return rules().stream()
        .filter(RuleSummary::looksUpOrganization)
        .map(RuleSummary::location)
        .toList();
  }
}
