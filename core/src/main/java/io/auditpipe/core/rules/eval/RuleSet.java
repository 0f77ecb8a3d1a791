package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RecordContext;
import io.auditpipe.core.rules.RuleSummary;
import io.auditpipe.core.rules.UnmatchedPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The compiled document. Immutable apart from a cache of which rules read which topic, so any
 * number of threads may map records at once.
 */
public final class RuleSet implements CompiledRules {

  private static final int TOPIC_CACHE_LIMIT = 10_000;
  private static final CompiledRule[] NONE = new CompiledRule[0];

  private final List<CompiledRule> rules;
  private final ProjectedReader reader;
  private final Policies policies;
  private final Set<String> topics;
  private final Optional<Pattern> topicPattern;
  private final List<String> names;
  private final List<RuleSummary> summaries;
  private final ConcurrentHashMap<String, CompiledRule[]> byTopic = new ConcurrentHashMap<>();

  private final UnmatchedScopes unmatched;

  /**
   * @param unmatchedScopes the {@code unmatched} policies of groups, for their topics; the
   *     document's policy applies elsewhere
   */
  public RuleSet(
      List<CompiledRule> rules,
      Policies policies,
      ProjectedReader reader,
      List<UnmatchedScopes.Scope> unmatchedScopes) {
    this.unmatched = new UnmatchedScopes(unmatchedScopes, policies.unmatched());
    this.reader = reader;
    this.rules = List.copyOf(rules);
    this.policies = policies;
    Set<String> exact = new LinkedHashSet<>();
    List<String> patterns = new ArrayList<>();
    for (CompiledRule r : rules) {
      exact.addAll(r.topics());
      r.topicPattern().ifPresent(pt -> patterns.add("(?:" + pt.pattern() + ")"));
    }
    this.topics = Set.copyOf(exact);
    this.topicPattern =
        patterns.isEmpty()
            ? Optional.empty()
            : Optional.of(Pattern.compile(String.join("|", patterns)));
    this.names = rules.stream().map(CompiledRule::name).collect(Collectors.toUnmodifiableList());
    this.summaries = rules.stream().map(CompiledRule::summary).toList();
  }

  @Override
  public boolean looksUpOrganizations() {
    for (CompiledRule r : rules) {
      if (r.looksUpOrganization()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public MappingOutcome map(JsonNode value, RecordContext context) {
    CompiledRule[] candidates = rulesFor(context.topic());
    if (candidates.length == 0) {
      return new MappingOutcome.Unmatched();
    }
    Scope scope = new Scope(value == null ? NullNode.instance : value, context);
    List<MappedEvent> events = new ArrayList<>(2);
    boolean matched = false;
    for (CompiledRule rule : candidates) {
      int before = scope.failureCount();
      boolean selected = rule.selects(scope);
      if (scope.failureCount() > before) {
        continue;
      }
      if (!selected) {
        continue;
      }
      matched = true;
      rule.map(scope, events);
      if (policies.match() == Policies.Match.FIRST) {
        break;
      }
    }
    if (scope.failureCount() > 0) {
      return new MappingOutcome.Failed(scope.failures());
    }
    return matched ? new MappingOutcome.Mapped(events) : new MappingOutcome.Unmatched();
  }

  private CompiledRule[] rulesFor(String topic) {
    CompiledRule[] cached = byTopic.get(topic);
    if (cached != null) {
      return cached;
    }
    List<CompiledRule> selected = new ArrayList<>();
    for (CompiledRule r : rules) {
      if (r.selectsTopic(topic)) {
        selected.add(r);
      }
    }
    CompiledRule[] result = selected.isEmpty() ? NONE : selected.toArray(NONE);
    // Topics are few in practice; the bound keeps a pathological caller from growing it forever.
    if (byTopic.size() < TOPIC_CACHE_LIMIT) {
      byTopic.put(topic, result);
    }
    return result;
  }

  @Override
  public JsonNode readValue(byte[] json) throws IOException {
    return reader.read(json);
  }

  @Override
  public Set<String> topics() {
    return topics;
  }

  @Override
  public Optional<Pattern> topicPattern() {
    return topicPattern;
  }

  @Override
  public UnmatchedPolicy unmatchedPolicy() {
    return policies.unmatched();
  }

  @Override
  public UnmatchedPolicy unmatchedPolicy(String topic) {
    return unmatched.forTopic(topic);
  }

  @Override
  public boolean mayDeadLetterUnmatched() {
    return unmatched.anyDeadLetter();
  }

  @Override
  public List<String> ruleNames() {
    return names;
  }

  @Override
  public List<RuleSummary> rules() {
    return summaries;
  }

  @Override
  public boolean selectsTopic(String topic) {
    return rulesFor(topic).length > 0;
  }

  /** The document's policies. */
  public Policies policies() {
    return policies;
  }
}
