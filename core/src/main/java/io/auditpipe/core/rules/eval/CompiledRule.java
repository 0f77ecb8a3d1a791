package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.deadletter.FailureStage;
import io.auditpipe.core.model.Actor;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.Context;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.Target;
import io.auditpipe.core.model.Violation;
import io.auditpipe.core.rules.IdempotencyKeys;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.core.rules.OrganizationRef;
import io.auditpipe.core.rules.RuleSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/** One rule, compiled: selection, then every field as a direct accessor. Immutable. */
public final class CompiledRule {

  /** Everything a rule is made of; built by the compiler. */
  public record Parts(
      String name,
      String label,
      Set<String> topics,
      Optional<Pattern> topicPattern,
      Optional<Condition> when,
      TextField organizationId,
      TextField action,
      Optional<InstantField> occurredAt,
      Optional<TextField> version,
      EntityTemplate actor,
      List<TargetTemplate> targets,
      TextField location,
      Optional<TextField> userAgent,
      MetadataFields metadata,
      Optional<TextField> idempotencyKey) {}

  private final Parts p;
  private final TargetTemplate[] targets;
  private final Policies policies;
  private final Clock clock;
  private final IdempotencyKeys.RuleKeys keys;
  private final RuleSummary summary;
  private final boolean organizationAtDelivery;

  /**
   * @param summary what the rule says, for tools; its group scopes the rule's defaults and
   *     unmatched policy
   */
  public CompiledRule(Parts parts, Policies policies, Clock clock, RuleSummary summary) {
    this.summary = summary;
    this.p = parts;
    this.keys = IdempotencyKeys.forRule(parts.name(), 0);
    this.targets = parts.targets().toArray(new TargetTemplate[0]);
    this.policies = policies;
    this.clock = clock;
    this.organizationAtDelivery =
        parts.organizationId().value() instanceof ExternalIdValue v && v.resolvedAtDelivery();
  }

  /** Whether the events' organization is an external id the deliverer resolves. */
  public boolean looksUpOrganization() {
    return organizationAtDelivery;
  }

  public String name() {
    return p.name();
  }

  /** The group the rule belongs to, if any. */
  public Optional<String> group() {
    return summary.group();
  }

  /** What the rule says, for tools. */
  public RuleSummary summary() {
    return summary;
  }

  public Set<String> topics() {
    return p.topics();
  }

  public Optional<Pattern> topicPattern() {
    return p.topicPattern();
  }

  /** Whether the rule reads records of {@code topic}. */
  public boolean selectsTopic(String topic) {
    return p.topics().contains(topic)
        || (p.topicPattern().isPresent() && p.topicPattern().get().matcher(topic).matches());
  }

  /** Whether the record satisfies the rule's condition; failures go to {@code scope}. */
  public boolean selects(Scope scope) {
    if (p.when().isEmpty()) {
      return true;
    }
    scope.at(p.name(), p.label() + " when");
    return p.when().get().test(scope);
  }

  /** Builds this rule's event into {@code out}, or records why it cannot. */
  public void map(Scope scope, List<MappedEvent> out) {
    int before = scope.failureCount();
    String org = p.organizationId().eval(scope);
    String action = p.action().eval(scope);
    Instant occurredAt = occurredAt(scope);
    OptionalInt version = version(scope);
    Actor actor = p.actor().actor(scope);
    List<Target> ts = new ArrayList<>(targets.length + 2);
    for (TargetTemplate t : targets) {
      t.addTo(scope, ts);
    }
    String location = p.location().eval(scope);
    Optional<String> userAgent =
        p.userAgent().isPresent()
            ? Optional.ofNullable(p.userAgent().get().eval(scope))
            : Optional.empty();
    Metadata metadata = p.metadata().eval(scope);
    String key = idempotencyKey(scope);
    if (scope.failureCount() > before) {
      return;
    }
    AuditEvent event =
        new AuditEvent(
            org,
            action,
            occurredAt,
            version,
            actor,
            ts,
            new Context(location, userAgent),
            metadata);
    List<Violation> violations = EventLimits.violations(event);
    if (!violations.isEmpty()) {
      for (Violation v : violations) {
        scope.at(p.name(), p.label());
        scope.failAt(FailureStage.VALIDATE, p.label() + " " + v.field(), v.message());
      }
      return;
    }
    out.add(
        organizationAtDelivery
            ? new MappedEvent(event, key, p.name(), new OrganizationRef.ExternalId(org))
            : new MappedEvent(event, key, p.name()));
  }

  private Instant occurredAt(Scope scope) {
    Instant t = null;
    if (p.occurredAt().isPresent()) {
      t = p.occurredAt().get().eval(scope);
      if (InstantValue.failed(t)) {
        return null;
      }
    }
    Instant now = clock.instant();
    if (t == null) {
      t = scope.record().timestamp().orElse(now);
    }
    // A time not after now is within any tolerance that is not negative: no Duration to build.
    if (!t.isAfter(now) && !policies.futureTolerance().isNegative()) {
      return t;
    }
    Duration ahead = Duration.between(now, t);
    if (ahead.compareTo(policies.futureTolerance()) > 0) {
      if (policies.futureOccurredAt() == Policies.FutureOccurredAt.CLAMP) {
        return now;
      }
      scope.at(p.name(), p.label() + " occurred_at");
      scope.fail(
          "expected a time at most "
              + policies.futureTolerance()
              + " in the future, found one "
              + ahead.truncatedTo(ChronoUnit.MILLIS)
              + " ahead (policy future_occurred_at: reject)");
      return null;
    }
    return t;
  }

  private OptionalInt version(Scope scope) {
    if (p.version().isEmpty()) {
      return OptionalInt.empty();
    }
    JsonNode node = p.version().get().evalNode(scope);
    if (node == null) {
      return OptionalInt.empty();
    }
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      return OptionalInt.of(node.intValue());
    }
    if (node.isTextual()) {
      try {
        return OptionalInt.of(Integer.parseInt(node.textValue().strip()));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    scope.fail("expected an integer, found " + io.auditpipe.core.model.AuditEventJson.kind(node));
    return OptionalInt.empty();
  }

  private String idempotencyKey(Scope scope) {
    if (p.idempotencyKey().isPresent()) {
      String id = p.idempotencyKey().get().eval(scope);
      if (id != null) {
        return keys.fromEventId(id);
      }
    }
    return keys.fromCoordinates(
        scope.record().topic(), scope.record().partition(), scope.record().offset());
  }
}
