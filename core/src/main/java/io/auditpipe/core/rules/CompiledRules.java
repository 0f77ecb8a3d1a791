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
   * @param value the record's value: what {@link #readValue} read from its bytes, or a tree built
   *     from a value that never was JSON text (e.g. a Connect {@code Struct})
   * @param context the record's key, coordinates, timestamp and headers
   */
  MappingOutcome map(JsonNode value, RecordContext context);

  /**
   * Reads a record value (UTF-8 JSON) for {@link #map}: the one way the connector, the processor
   * and the CLI read a record. Jackson's streaming parser tokenizes every byte (so malformed JSON
   * throws, as {@code ObjectMapper.readTree} does, and so does anything after the first value), but
   * only the parts the rules read become nodes; the rest is skipped, so the tree maps exactly as
   * the whole tree would. A Connect JSON envelope (see {@link ConnectEnvelope}) is read as its
   * payload. Empty input is a {@code MissingNode}. Use the tree only with these rules. Thread-safe.
   *
   * @throws IOException if {@code json} is not one valid JSON value
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
