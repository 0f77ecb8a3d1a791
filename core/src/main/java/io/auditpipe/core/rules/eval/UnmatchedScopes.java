package io.auditpipe.core.rules.eval;

import io.auditpipe.core.rules.UnmatchedPolicy;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code unmatched} policy per topic: groups of rules may set their own for the topics they
 * read; where several do and disagree, {@code dlq} wins (nothing is dropped that one of them wants
 * to see); the document's policy applies to every other topic. Immutable.
 */
public final class UnmatchedScopes {

  /** A group's policy and the topics it covers. */
  public record Scope(Set<String> topics, Optional<Pattern> topicPattern, UnmatchedPolicy policy) {

    boolean covers(String topic) {
      return topics.contains(topic)
          || (topicPattern.isPresent() && topicPattern.get().matcher(topic).matches());
    }
  }

  private final List<Scope> scopes;
  private final UnmatchedPolicy fallback;

  public UnmatchedScopes(List<Scope> scopes, UnmatchedPolicy fallback) {
    this.scopes = List.copyOf(scopes);
    this.fallback = fallback;
  }

  /** Whether any topic's policy is {@code dlq}. */
  public boolean anyDeadLetter() {
    return fallback == UnmatchedPolicy.DLQ
        || scopes.stream().anyMatch(s -> s.policy() == UnmatchedPolicy.DLQ);
  }

  /** The policy for a record of {@code topic} that no rule selects. */
  public UnmatchedPolicy forTopic(String topic) {
    UnmatchedPolicy found = null;
    for (Scope s : scopes) {
      if (s.covers(topic)) {
        if (s.policy() == UnmatchedPolicy.DLQ) {
          return UnmatchedPolicy.DLQ;
        }
        found = s.policy();
      }
    }
    return found != null ? found : fallback;
  }
}
