package io.auditpipe.core.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one compiled rule says, for tools ({@code schemas push}, {@code rules preview}, the
 * processor's start-up checks): its location, the topics it reads, and the shape of the events it
 * produces, with the document's and its group's defaults already merged in as the compiler merged
 * them. Immutable.
 *
 * @param name the rule's name
 * @param location where the rule is, as errors name it: {@code rules[2] "order-paid"}
 * @param group the group the rule belongs to, if any
 * @param topics the exact topics it reads (its own, else its group's)
 * @param topicPattern the pattern of the topics it reads, if it selects by pattern
 * @param looksUpOrganization whether its {@code organization_id} resolves an external id ({@code
 *     {"external_id": …}}), which needs WorkOS's organization lookup
 * @param action the event's {@code action}
 * @param targets the targets, in document order
 * @param actorMetadata the actor's metadata keys, in document order
 * @param metadata the event's metadata keys, in document order
 */
public record RuleSummary(
    String name,
    String location,
    Optional<String> group,
    Set<String> topics,
    Optional<Pattern> topicPattern,
    boolean looksUpOrganization,
    ValueShape action,
    List<TargetSummary> targets,
    Map<String, ValueShape> actorMetadata,
    Map<String, ValueShape> metadata) {

  /**
   * One target of a rule.
   *
   * @param type the target's {@code type}
   * @param metadata its metadata keys, in document order
   * @param forEach whether it is repeated per element of an array ({@code for_each})
   */
  public record TargetSummary(ValueShape type, Map<String, ValueShape> metadata, boolean forEach) {
    public TargetSummary {
      Objects.requireNonNull(type, "type");
      metadata = ordered(metadata);
    }
  }

  public RuleSummary {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(group, "group");
    topics = Set.copyOf(topics);
    Objects.requireNonNull(topicPattern, "topicPattern");
    Objects.requireNonNull(action, "action");
    targets = List.copyOf(targets);
    actorMetadata = ordered(actorMetadata);
    metadata = ordered(metadata);
  }

  /** Whether the rule reads records of {@code topic}. */
  public boolean selectsTopic(String topic) {
    return topics.contains(topic)
        || topicPattern.map(p -> p.matcher(topic).matches()).orElse(false);
  }

  private static Map<String, ValueShape> ordered(Map<String, ValueShape> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
