package io.auditpipe.core.rules.compile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.auditpipe.core.json.JsonProblems;
import io.auditpipe.core.model.WorkOsLimits;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.OrganizationResolver;
import io.auditpipe.core.rules.RuleSummary;
import io.auditpipe.core.rules.RulesError;
import io.auditpipe.core.rules.RulesValidationException;
import io.auditpipe.core.rules.UnmatchedPolicy;
import io.auditpipe.core.rules.ValueShape;
import io.auditpipe.core.rules.eval.CompiledRule;
import io.auditpipe.core.rules.eval.Condition;
import io.auditpipe.core.rules.eval.EntityTemplate;
import io.auditpipe.core.rules.eval.InstantField;
import io.auditpipe.core.rules.eval.JsonPointerPath;
import io.auditpipe.core.rules.eval.JsonataExpression;
import io.auditpipe.core.rules.eval.MetadataFields;
import io.auditpipe.core.rules.eval.Policies;
import io.auditpipe.core.rules.eval.ProjectedReader;
import io.auditpipe.core.rules.eval.ReadPaths;
import io.auditpipe.core.rules.eval.RootPath;
import io.auditpipe.core.rules.eval.RuleSet;
import io.auditpipe.core.rules.eval.TargetTemplate;
import io.auditpipe.core.rules.eval.TextField;
import io.auditpipe.core.rules.eval.UnmatchedScopes;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses, validates and compiles a rules document. Validation reports every problem with its
 * location; compilation turns each field into a direct accessor.
 */
public final class DocumentCompiler {

  /** The only document version this compiler reads. */
  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private static final Set<String> ROOT_KEYS =
      keys(
          "$schema",
          "version",
          "description",
          "unmatched",
          "match",
          "policies",
          "defaults",
          "views",
          "tables",
          "groups",
          "rules");
  private static final Set<String> POLICY_KEYS =
      keys(
          "metadata_too_long",
          "future_occurred_at",
          "future_tolerance",
          "jsonata_timeout",
          "jsonata_max_depth");
  private static final Set<String> DEFAULT_KEYS =
      keys(
          "organization_id",
          "occurred_at",
          "version",
          "actor",
          "context",
          "metadata",
          "idempotency_key");
  private static final Set<String> RULE_KEYS =
      keys(
          "name",
          "description",
          "group",
          "topics",
          "topic_pattern",
          "when",
          "organization_id",
          "action",
          "occurred_at",
          "version",
          "actor",
          "targets",
          "context",
          "metadata",
          "idempotency_key");
  private static final Set<String> GROUP_KEYS =
      keys("description", "topics", "topic_pattern", "unmatched", "defaults");
  private static final Set<String> ACTOR_KEYS = keys("id", "type", "name", "metadata");
  private static final Set<String> TARGET_KEYS =
      keys("for_each", "optional", "id", "type", "name", "metadata");
  private static final Set<String> CONTEXT_KEYS = keys("location", "user_agent");
  private static final Set<String> OPTIONAL_ENTITY_KEYS = Set.of("name");
  private static final Set<String> OPTIONAL_CONTEXT_KEYS = Set.of("user_agent");
  private static final Duration MAX_JSONATA_TIMEOUT = Duration.ofSeconds(10);

  private final Problems problems = new Problems();
  private final OrganizationResolver resolver;
  private final Clock clock;
  private ValueCompiler values;
  private ConditionCompiler conditions;

  private DocumentCompiler(OrganizationResolver resolver, Clock clock) {
    this.resolver = resolver;
    this.clock = clock;
  }

  /** Compiles {@code document}, or throws with every problem found. */
  public static CompiledRules compile(String document, OrganizationResolver resolver, Clock clock)
      throws RulesValidationException {
    return new DocumentCompiler(resolver, clock).run(document);
  }

  private static Set<String> keys(String... keys) {
    return new LinkedHashSet<>(List.of(keys));
  }

  private CompiledRules run(String document) throws RulesValidationException {
    JsonNode root;
    try {
      root = MAPPER.readTree(document);
    } catch (JsonProcessingException e) {
      String reason = JsonProblems.reason(e);
      JsonLocation l = e.getLocation();
      String where = l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
      throw new RulesValidationException(
          List.of(new RulesError("", "", "not valid JSON" + where + ": " + reason)));
    }
    if (root == null || !root.isObject()) {
      throw new RulesValidationException(
          List.of(new RulesError("", "", "expected a JSON object (the rules document)")));
    }
    problems.unknownKeys(root, At.ROOT, ROOT_KEYS);
    JsonNode version = root.get("version");
    if (version == null) {
      problems.add(At.ROOT, "missing \"version\"; expected \"version\": " + VERSION);
    } else if (!version.isIntegralNumber() || version.intValue() != VERSION) {
      problems.add(
          At.ROOT.key("version"),
          "expected "
              + VERSION
              + ", found "
              + (version.isNumber() ? version.asText() : kind(version)));
    }
    Policies policies = policies(root);
    ReadPaths read = new ReadPaths();
    values = new ValueCompiler(problems, resolver, policies.jsonata(), read);
    conditions = new ConditionCompiler(problems, values);
    ViewsCompiler declarations = new ViewsCompiler(problems, values);
    declarations.tables(root.get("tables"), At.ROOT.key("tables"));
    declarations.views(root.get("views"), At.ROOT.key("views"));
    Defaults defaults = defaults(root.get("defaults"), At.ROOT.key("defaults"));
    Map<String, Group> groups = groups(root.get("groups"), At.ROOT.key("groups"), defaults);
    List<CompiledRule> rules = new ArrayList<>();
    JsonNode rulesNode = root.get("rules");
    At rulesAt = At.ROOT.key("rules");
    if (rulesNode == null) {
      problems.add(At.ROOT, "missing \"rules\"; expected an array of rules");
    } else if (!rulesNode.isArray() || rulesNode.isEmpty()) {
      problems.expected(rulesAt, "a non-empty array of rules", rulesNode);
    } else {
      Map<String, Integer> names = new HashMap<>();
      for (int i = 0; i < rulesNode.size(); i++) {
        rule(rulesNode.get(i), i, rulesAt, groups, defaults, policies, names).ifPresent(rules::add);
      }
    }
    if (problems.count() > 0) {
      throw new RulesValidationException(problems.errors());
    }
    return new RuleSet(rules, policies, new ProjectedReader(read), unmatchedScopes(groups, rules));
  }

  private Policies policies(JsonNode root) {
    Policies d = Policies.DEFAULT;
    UnmatchedPolicy unmatched =
        choice(
            root.get("unmatched"),
            At.ROOT.key("unmatched"),
            UnmatchedPolicy.values(),
            d.unmatched(),
            UnmatchedPolicy::externalName);
    Policies.Match match =
        choice(
            root.get("match"),
            At.ROOT.key("match"),
            Policies.Match.values(),
            d.match(),
            Policies.Match::externalName);
    JsonNode node = root.get("policies");
    At at = At.ROOT.key("policies");
    if (node == null) {
      return new Policies(
          unmatched,
          match,
          d.metadataTooLong(),
          d.futureOccurredAt(),
          d.futureTolerance(),
          d.jsonata());
    }
    if (!node.isObject()) {
      problems.expected(at, "an object", node);
      return d;
    }
    problems.unknownKeys(node, at, POLICY_KEYS);
    Policies.MetadataTooLong tooLong =
        choice(
            node.get("metadata_too_long"),
            at.key("metadata_too_long"),
            Policies.MetadataTooLong.values(),
            d.metadataTooLong(),
            Policies.MetadataTooLong::externalName);
    Policies.FutureOccurredAt future =
        choice(
            node.get("future_occurred_at"),
            at.key("future_occurred_at"),
            Policies.FutureOccurredAt.values(),
            d.futureOccurredAt(),
            Policies.FutureOccurredAt::externalName);
    Duration tolerance =
        duration(
            node.get("future_tolerance"),
            at.key("future_tolerance"),
            d.futureTolerance(),
            Duration.ZERO,
            null);
    Duration timeout =
        duration(
            node.get("jsonata_timeout"),
            at.key("jsonata_timeout"),
            d.jsonata().timeout(),
            Duration.ofMillis(1),
            MAX_JSONATA_TIMEOUT);
    int depth = d.jsonata().maxDepth();
    JsonNode depthNode = node.get("jsonata_max_depth");
    if (depthNode != null) {
      if (!depthNode.isIntegralNumber()
          || depthNode.intValue() < 10
          || depthNode.intValue() > 1000) {
        problems.add(
            at.key("jsonata_max_depth"),
            "expected an integer from 10 to 1000, found "
                + (depthNode.isNumber() ? depthNode.asText() : kind(depthNode)));
      } else {
        depth = depthNode.intValue();
      }
    }
    return new Policies(
        unmatched, match, tooLong, future, tolerance, new JsonataExpression.Bounds(timeout, depth));
  }

  private <E> E choice(
      JsonNode node, At at, E[] options, E fallback, java.util.function.Function<E, String> name) {
    if (node == null) {
      return fallback;
    }
    List<String> names = new ArrayList<>();
    for (E option : options) {
      names.add(name.apply(option));
      if (node.isTextual() && name.apply(option).equals(node.textValue())) {
        return option;
      }
    }
    problems.add(at, "expected one of " + String.join(", ", names) + ", found " + describe(node));
    return fallback;
  }

  private Duration duration(JsonNode node, At at, Duration fallback, Duration min, Duration max) {
    if (node == null) {
      return fallback;
    }
    String expected =
        "an ISO-8601 duration such as \"PT5M\""
            + (max == null ? " (not negative)" : " from " + min + " to " + max);
    if (!node.isTextual()) {
      problems.expected(at, expected, node);
      return fallback;
    }
    try {
      Duration d = Duration.parse(node.textValue());
      if (d.compareTo(min) < 0 || (max != null && d.compareTo(max) > 0)) {
        problems.add(at, "expected " + expected + ", found " + d);
        return fallback;
      }
      return d;
    } catch (DateTimeParseException e) {
      problems.add(at, "expected " + expected + ", found " + describe(node));
      return fallback;
    }
  }

  /**
   * A group of rules: the topics its rules read unless they name their own, its {@code unmatched}
   * policy for those topics, and defaults merged over the document's.
   */
  private record Group(
      Set<String> topics,
      Optional<Pattern> topicPattern,
      Optional<UnmatchedPolicy> unmatched,
      Defaults defaults) {}

  private Map<String, Group> groups(JsonNode node, At at, Defaults documentDefaults) {
    Map<String, Group> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    if (!node.isObject()) {
      problems.expected(at, "an object mapping group names to groups", node);
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      At groupAt = at.key(e.getKey());
      JsonNode g = e.getValue();
      if (e.getKey().isEmpty()) {
        problems.add(groupAt, "expected a non-empty group name");
        continue;
      }
      if (!g.isObject()) {
        problems.expected(groupAt, "a group object", g);
        continue;
      }
      problems.unknownKeys(g, groupAt, GROUP_KEYS);
      Set<String> topics =
          g.has("topics") ? topicNames(g.get("topics"), groupAt.key("topics")) : Set.of();
      Optional<Pattern> pattern =
          g.has("topic_pattern")
              ? ConditionCompiler.regex(
                  g.get("topic_pattern"), groupAt.key("topic_pattern"), problems)
              : Optional.empty();
      Optional<UnmatchedPolicy> unmatched =
          g.has("unmatched")
              ? Optional.of(
                  choice(
                      g.get("unmatched"),
                      groupAt.key("unmatched"),
                      UnmatchedPolicy.values(),
                      UnmatchedPolicy.SKIP,
                      UnmatchedPolicy::externalName))
              : Optional.empty();
      Defaults own = defaults(g.get("defaults"), groupAt.key("defaults"));
      out.put(
          e.getKey(),
          new Group(Set.copyOf(topics), pattern, unmatched, documentDefaults.with(own)));
    }
    return out;
  }

  /**
   * Per group with an {@code unmatched} policy: the topics it covers (its own, else its rules').
   */
  private static List<UnmatchedScopes.Scope> unmatchedScopes(
      Map<String, Group> groups, List<CompiledRule> rules) {
    List<UnmatchedScopes.Scope> out = new ArrayList<>();
    groups.forEach(
        (name, g) -> {
          if (g.unmatched().isEmpty()) {
            return;
          }
          Set<String> topics = new LinkedHashSet<>(g.topics());
          List<String> patterns = new ArrayList<>();
          g.topicPattern().ifPresent(p -> patterns.add("(?:" + p.pattern() + ")"));
          if (g.topics().isEmpty() && g.topicPattern().isEmpty()) {
            for (CompiledRule r : rules) {
              if (r.group().equals(Optional.of(name))) {
                topics.addAll(r.topics());
                r.topicPattern().ifPresent(p -> patterns.add("(?:" + p.pattern() + ")"));
              }
            }
          }
          out.add(
              new UnmatchedScopes.Scope(
                  Set.copyOf(topics),
                  patterns.isEmpty()
                      ? Optional.empty()
                      : Optional.of(Pattern.compile(String.join("|", patterns))),
                  g.unmatched().get()));
        });
    return out;
  }

  private Set<String> topicNames(JsonNode topicsNode, At at) {
    Set<String> topics = new LinkedHashSet<>();
    if (!topicsNode.isArray() || topicsNode.isEmpty()) {
      problems.expected(at, "a non-empty array of topic names", topicsNode);
      return topics;
    }
    for (int i = 0; i < topicsNode.size(); i++) {
      JsonNode t = topicsNode.get(i);
      if (!t.isTextual() || t.textValue().isEmpty()) {
        problems.expected(at.index(i), "a topic name", t);
      } else {
        topics.add(t.textValue());
      }
    }
    return topics;
  }

  /** Compiled defaults; each compiled once, reported under {@code defaults.…}. */
  private record Defaults(
      Map<String, ValueCompiler.Compiled> fields,
      Map<String, ValueCompiler.Compiled> actor,
      Map<String, ValueCompiler.Compiled> actorMetadata,
      Map<String, ValueCompiler.Compiled> context,
      Map<String, ValueCompiler.Compiled> metadata) {
    static final Defaults NONE = new Defaults(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    /** These defaults with {@code over}'s entries in their place (key by key, as a rule's). */
    Defaults with(Defaults over) {
      return new Defaults(
          merged(fields, over.fields),
          merged(actor, over.actor),
          merged(actorMetadata, over.actorMetadata),
          merged(context, over.context),
          merged(metadata, over.metadata));
    }

    private static Map<String, ValueCompiler.Compiled> merged(
        Map<String, ValueCompiler.Compiled> base, Map<String, ValueCompiler.Compiled> over) {
      Map<String, ValueCompiler.Compiled> out = new LinkedHashMap<>(base);
      out.putAll(over);
      return out;
    }
  }

  private Defaults defaults(JsonNode node, At at) {
    if (node == null) {
      return Defaults.NONE;
    }
    if (!node.isObject()) {
      problems.expected(at, "an object", node);
      return Defaults.NONE;
    }
    problems.unknownKeys(node, at, DEFAULT_KEYS);
    Map<String, ValueCompiler.Compiled> fields = new HashMap<>();
    for (String key : List.of("organization_id", "occurred_at", "version", "idempotency_key")) {
      JsonNode v = node.get(key);
      if (v != null) {
        (key.equals("organization_id")
                ? values.organization(v, at.key(key))
                : values.compile(v, at.key(key), true, Set.of()))
            .ifPresent(c -> fields.put(key, c));
      }
    }
    JsonNode actor = node.get("actor");
    return new Defaults(
        fields,
        group(actor, at.key("actor"), ACTOR_KEYS, OPTIONAL_ENTITY_KEYS),
        actor != null && actor.isObject()
            ? metadata(actor.get("metadata"), at.key("actor").key("metadata"))
            : Map.of(),
        group(node.get("context"), at.key("context"), CONTEXT_KEYS, OPTIONAL_CONTEXT_KEYS),
        metadata(node.get("metadata"), at.key("metadata")));
  }

  /** Compiles the value keys of an object such as actor or context ({@code metadata} excluded). */
  private Map<String, ValueCompiler.Compiled> group(
      JsonNode node, At at, Set<String> keys, Set<String> optionalKeys) {
    Map<String, ValueCompiler.Compiled> out = new HashMap<>();
    if (node == null) {
      return out;
    }
    if (!node.isObject()) {
      problems.expected(at, "an object", node);
      return out;
    }
    problems.unknownKeys(node, at, keys);
    for (String key : keys) {
      JsonNode v = node.get(key);
      if (v != null
          && !key.equals("metadata")
          && !key.equals("for_each")
          && !key.equals("optional")) {
        // A present but invalid value maps to null: reported once, never again as "missing".
        out.put(
            key, values.compile(v, at.key(key), optionalKeys.contains(key), Set.of()).orElse(null));
      }
    }
    return out;
  }

  private Map<String, ValueCompiler.Compiled> metadata(JsonNode node, At at) {
    Map<String, ValueCompiler.Compiled> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    if (!node.isObject()) {
      problems.expected(at, "an object mapping metadata keys to values", node);
      return out;
    }
    if (node.size() > WorkOsLimits.MAX_METADATA_KEYS) {
      problems.add(
          at,
          "expected at most "
              + WorkOsLimits.MAX_METADATA_KEYS
              + " keys (WorkOS limit), found "
              + node.size());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      At keyAt = at.key(e.getKey());
      if (!WorkOsLimits.METADATA_KEY.matcher(e.getKey()).matches() || e.getKey().isEmpty()) {
        problems.add(
            keyAt,
            "invalid metadata key: expected 1 to 40 letters, digits, '_' or '-' (WorkOS limit)");
        continue;
      }
      values.compile(e.getValue(), keyAt, true, Set.of()).ifPresent(c -> out.put(e.getKey(), c));
    }
    return out;
  }

  private Optional<CompiledRule> rule(
      JsonNode node,
      int index,
      At rulesAt,
      Map<String, Group> groups,
      Defaults documentDefaults,
      Policies policies,
      Map<String, Integer> names) {
    if (!node.isObject()) {
      problems.expected(rulesAt.index(index), "a rule object", node);
      return Optional.empty();
    }
    JsonNode nameNode = node.get("name");
    String name = nameNode != null && nameNode.isTextual() ? nameNode.textValue() : "";
    At at = At.rule(index, name);
    int before = problems.count();
    if (nameNode == null) {
      problems.add(
          at, "missing \"name\"; every rule needs a unique name (it is part of idempotency keys)");
    } else if (!nameNode.isTextual() || name.isBlank()) {
      problems.expected(at.key("name"), "a non-empty string", nameNode);
    } else {
      Integer previous = names.putIfAbsent(name, index);
      if (previous != null) {
        problems.add(
            at.key("name"), "duplicate rule name \"" + name + "\" (also rules[" + previous + "])");
      }
    }
    problems.unknownKeys(node, at, RULE_KEYS);
    Optional<String> groupName = Optional.empty();
    Optional<Group> group = Optional.empty();
    JsonNode groupNode = node.get("group");
    if (groupNode != null) {
      if (!groupNode.isTextual() || !groups.containsKey(groupNode.textValue())) {
        problems.add(
            at.key("group"),
            "unknown group "
                + describe(groupNode)
                + "; "
                + (groups.isEmpty()
                    ? "the document declares no \"groups\""
                    : "expected one of: " + String.join(", ", groups.keySet())));
      } else {
        groupName = Optional.of(groupNode.textValue());
        group = Optional.of(groups.get(groupNode.textValue()));
      }
    }
    Defaults defaults = group.map(Group::defaults).orElse(documentDefaults);

    Set<String> topics = new LinkedHashSet<>();
    JsonNode topicsNode = node.get("topics");
    if (topicsNode != null) {
      topics = topicNames(topicsNode, at.key("topics"));
    }
    Optional<Pattern> topicPattern = Optional.empty();
    JsonNode patternNode = node.get("topic_pattern");
    if (patternNode != null) {
      topicPattern = ConditionCompiler.regex(patternNode, at.key("topic_pattern"), problems);
    }
    if (topicsNode == null && patternNode == null) {
      if (group.isPresent()
          && (!group.get().topics().isEmpty() || group.get().topicPattern().isPresent())) {
        topics = new LinkedHashSet<>(group.get().topics());
        topicPattern = group.get().topicPattern();
      } else {
        problems.add(
            at,
            "missing \"topics\" or \"topic_pattern\"; a rule (or its group) must say which"
                + " topics it reads");
      }
    }
    Optional<Condition> when = Optional.empty();
    if (node.has("when")) {
      when = conditions.compile(node.get("when"), at.key("when"));
    }

    Optional<ValueCompiler.Compiled> organizationId =
        required(node, at, "organization_id", defaults.fields());
    Optional<ValueCompiler.Compiled> action = required(node, at, "action", Map.of());
    Optional<ValueCompiler.Compiled> occurred =
        own(node, at, "occurred_at", defaults.fields(), true);
    Optional<ValueCompiler.Compiled> version = own(node, at, "version", defaults.fields(), true);
    Optional<ValueCompiler.Compiled> idKey =
        own(node, at, "idempotency_key", defaults.fields(), true);

    At actorAt = at.key("actor");
    JsonNode actorNode = node.get("actor");
    Map<String, ValueCompiler.Compiled> actorValues = new HashMap<>(defaults.actor());
    actorValues.putAll(group(actorNode, actorAt, ACTOR_KEYS, OPTIONAL_ENTITY_KEYS));
    Map<String, ValueCompiler.Compiled> actorMetadata =
        new LinkedHashMap<>(defaults.actorMetadata());
    if (actorNode != null && actorNode.isObject()) {
      actorMetadata.putAll(metadata(actorNode.get("metadata"), actorAt.key("metadata")));
    }
    Optional<EntityTemplate> actor = Optional.empty();
    if (actorNode == null && defaults.actor().isEmpty()) {
      problems.add(at, "missing \"actor\" (set it in the rule or in defaults)");
    } else {
      actor = entity(actorAt, actorValues, actorMetadata, name, policies);
    }

    List<Target> targets = new ArrayList<>();
    JsonNode targetsNode = node.get("targets");
    At targetsAt = at.key("targets");
    if (targetsNode == null) {
      problems.add(at, "missing \"targets\"; expected an array (may be empty)");
    } else if (!targetsNode.isArray()) {
      problems.expected(targetsAt, "an array of targets", targetsNode);
    } else {
      for (int i = 0; i < targetsNode.size(); i++) {
        target(targetsNode.get(i), targetsAt.index(i), name, policies).ifPresent(targets::add);
      }
    }

    At contextAt = at.key("context");
    Map<String, ValueCompiler.Compiled> contextValues = new HashMap<>(defaults.context());
    contextValues.putAll(
        group(node.get("context"), contextAt, CONTEXT_KEYS, OPTIONAL_CONTEXT_KEYS));
    Optional<TextField> location = Optional.empty();
    if (contextValues.containsKey("location")) {
      location =
          Optional.ofNullable(contextValues.get("location"))
              .map(c -> field(name, contextAt.key("location"), c));
    } else if (!node.has("context") || node.get("context").isObject()) {
      problems.add(
          node.has("context") ? contextAt : at,
          "missing \"context\".\"location\" (set it in the rule or in defaults)");
    }
    Optional<TextField> userAgent =
        Optional.ofNullable(contextValues.get("user_agent"))
            .map(c -> field(name, contextAt.key("user_agent"), c));

    Map<String, ValueCompiler.Compiled> metadata = new LinkedHashMap<>(defaults.metadata());
    metadata.putAll(metadata(node.get("metadata"), at.key("metadata")));
    if (metadata.size() > WorkOsLimits.MAX_METADATA_KEYS && node.has("metadata")) {
      problems.add(
          at.key("metadata"),
          "expected at most "
              + WorkOsLimits.MAX_METADATA_KEYS
              + " keys together with defaults.metadata (WorkOS limit), found "
              + metadata.size());
    }

    if (problems.count() > before
        || organizationId.isEmpty()
        || action.isEmpty()
        || actor.isEmpty()
        || location.isEmpty()) {
      return Optional.empty();
    }
    CompiledRule.Parts parts =
        new CompiledRule.Parts(
            name,
            at.label(),
            Set.copyOf(topics),
            topicPattern,
            when,
            field(name, at.key("organization_id"), organizationId.get()),
            field(name, at.key("action"), action.get()),
            occurred.map(
                c ->
                    new InstantField(name, at.key("occurred_at").label(), c.value(), c.optional())),
            version.map(c -> field(name, at.key("version"), c)),
            actor.get(),
            targets.stream().map(Target::template).toList(),
            location.get(),
            userAgent,
            metadataFields(name, at.key("metadata"), metadata, policies),
            idKey.map(c -> field(name, at.key("idempotency_key"), c)));
    RuleSummary summary =
        new RuleSummary(
            name,
            at.label(),
            groupName,
            topics,
            topicPattern,
            organizationId.get().usesExternalId(),
            action.get().shape(),
            targets.stream().map(Target::summary).toList(),
            shapes(actorMetadata),
            shapes(metadata));
    return Optional.of(new CompiledRule(parts, policies, clock, summary));
  }

  /** A compiled target and what it says, for {@link RuleSummary}. */
  private record Target(TargetTemplate template, RuleSummary.TargetSummary summary) {}

  private static Map<String, ValueShape> shapes(Map<String, ValueCompiler.Compiled> values) {
    Map<String, ValueShape> out = new LinkedHashMap<>();
    values.forEach((key, c) -> out.put(key, c.shape()));
    return out;
  }

  private Optional<Target> target(JsonNode node, At at, String rule, Policies policies) {
    if (!node.isObject()) {
      problems.expected(at, "a target object", node);
      return Optional.empty();
    }
    int before = problems.count();
    Optional<JsonPointerPath> forEach = Optional.empty();
    JsonNode forEachNode = node.get("for_each");
    if (forEachNode != null) {
      forEach = values.pointer(forEachNode, at.key("for_each"));
    }
    values.forEachElementsOf(forEach.orElse(null));
    Optional<RootPath> forEachPath = forEach.map(values::rootPath);
    Map<String, ValueCompiler.Compiled> fields;
    Map<String, ValueCompiler.Compiled> md;
    try {
      fields = group(node, at, TARGET_KEYS, OPTIONAL_ENTITY_KEYS);
      md = metadata(node.get("metadata"), at.key("metadata"));
    } finally {
      values.forEachElementsOf(null);
    }
    boolean optional = false;
    JsonNode optionalNode = node.get("optional");
    if (optionalNode != null) {
      if (!optionalNode.isBoolean()) {
        problems.expected(at.key("optional"), "true or false", optionalNode);
      } else if (forEachNode == null) {
        problems.add(at.key("optional"), "only a target with \"for_each\" may be optional");
      } else {
        optional = optionalNode.booleanValue();
      }
    }
    Optional<EntityTemplate> entity = entity(at, fields, md, rule, policies);
    if (problems.count() > before || entity.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Target(
            new TargetTemplate(rule, at.label(), entity.get(), forEachPath, optional),
            new RuleSummary.TargetSummary(
                fields.get("type").shape(), shapes(md), forEachNode != null)));
  }

  private Optional<EntityTemplate> entity(
      At at,
      Map<String, ValueCompiler.Compiled> fields,
      Map<String, ValueCompiler.Compiled> metadata,
      String rule,
      Policies policies) {
    boolean ok = true;
    for (String key : List.of("id", "type")) {
      if (!fields.containsKey(key)) {
        problems.add(at, "missing \"" + key + "\"");
        ok = false;
      }
    }
    if (!ok || fields.get("id") == null || fields.get("type") == null) {
      return Optional.empty();
    }
    return Optional.of(
        new EntityTemplate(
            field(rule, at.key("id"), fields.get("id")),
            field(rule, at.key("type"), fields.get("type")),
            Optional.ofNullable(fields.get("name")).map(c -> field(rule, at.key("name"), c)),
            metadataFields(rule, at.key("metadata"), metadata, policies)));
  }

  private static MetadataFields metadataFields(
      String rule, At at, Map<String, ValueCompiler.Compiled> entries, Policies policies) {
    List<MetadataFields.Entry> list = new ArrayList<>();
    for (Map.Entry<String, ValueCompiler.Compiled> e : entries.entrySet()) {
      list.add(
          new MetadataFields.Entry(
              e.getKey(),
              at.key(e.getKey()).label(),
              e.getValue().value(),
              e.getValue().optional()));
    }
    return new MetadataFields(rule, list, policies.metadataTooLong());
  }

  private Optional<ValueCompiler.Compiled> required(
      JsonNode node, At at, String key, Map<String, ValueCompiler.Compiled> defaults) {
    Optional<ValueCompiler.Compiled> c = own(node, at, key, defaults, false);
    if (c.isEmpty() && !node.has(key)) {
      problems.add(
          at,
          "missing \""
              + key
              + "\""
              + (key.equals("action") ? "" : " (set it in the rule or in defaults)"));
    }
    return c;
  }

  /** The rule's own value for {@code key}, else the default's; reports the rule's problems. */
  private Optional<ValueCompiler.Compiled> own(
      JsonNode node,
      At at,
      String key,
      Map<String, ValueCompiler.Compiled> defaults,
      boolean optionalAllowed) {
    JsonNode v = node.get(key);
    if (v != null) {
      return key.equals("organization_id")
          ? values.organization(v, at.key(key))
          : values.compile(v, at.key(key), optionalAllowed, Set.of());
    }
    return Optional.ofNullable(defaults.get(key));
  }

  private static TextField field(String rule, At at, ValueCompiler.Compiled c) {
    return new TextField(rule, at.label(), c.value(), c.optional());
  }

  private static String kind(JsonNode node) {
    return io.auditpipe.core.model.AuditEventJson.kind(node);
  }

  private static String describe(JsonNode node) {
    return node.isTextual() ? "\"" + node.textValue() + "\"" : kind(node);
  }
}
