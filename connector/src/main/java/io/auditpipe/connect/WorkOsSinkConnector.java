package io.auditpipe.connect;

import static io.auditpipe.connect.config.WorkOsSinkConnectorConfig.BEHAVIOR_ON_NULL_VALUES_CONFIG;
import static io.auditpipe.connect.config.WorkOsSinkConnectorConfig.BEHAVIOR_ON_UNMATCHED_CONFIG;
import static io.auditpipe.connect.config.WorkOsSinkConnectorConfig.OUTAGE_BEHAVIOR_CONFIG;
import static io.auditpipe.connect.config.WorkOsSinkConnectorConfig.RULES_CONFIG;
import static io.auditpipe.connect.config.WorkOsSinkConnectorConfig.RULES_PATH_CONFIG;

import io.auditpipe.connect.config.InputMode;
import io.auditpipe.connect.config.RuleTopicsCheck;
import io.auditpipe.connect.config.WorkOsSinkConnectorConfig;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.OrganizationResolver;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.core.rules.RulesError;
import io.auditpipe.core.rules.RulesValidationException;
import io.auditpipe.core.rules.UnmatchedPolicy;
import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.api.AccessCheck;
import io.auditpipe.workos.http.BaseUrls;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auditpipe sink connector: maps domain events with a rules document and delivers them to
 * WorkOS Audit Logs. {@link #validate} compiles the rules, checks that they select the consumed
 * topics, checks the base URL as the tasks do and, when WorkOS answers, the key — so Connect's REST
 * validation endpoint reports these problems before a task starts.
 */
public final class WorkOsSinkConnector extends SinkConnector {

  static final String ERRORS_TOLERANCE_CONFIG = "errors.tolerance";
  static final String DLQ_TOPIC_CONFIG = "errors.deadletterqueue.topic.name";
  static final String TOPICS_CONFIG = "topics";
  static final String TOPICS_REGEX_CONFIG = "topics.regex";
  static final String TRANSFORMS_CONFIG = "transforms";

  /** The bound of connecting to WorkOS, and of its answer, when validating. */
  static final Duration ACCESS_CHECK_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(WorkOsSinkConnector.class);

  private Map<String, String> props;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    WorkOsSinkConnectorConfig config = new WorkOsSinkConnectorConfig(props);
    if (config.inputMode() == InputMode.DOMAIN) {
      try {
        RulesCompiler.compile(config.rulesDocument(), OrganizationResolver.atDelivery());
      } catch (RulesValidationException e) {
        throw new ConfigException(
            rulesKey(props), "(rules document)", e.errors().get(0).toString());
      }
    }
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return WorkOsSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int i = 0; i < maxTasks; i++) {
      Map<String, String> task = new HashMap<>(props);
      task.put(WorkOsSinkConnectorConfig.TASK_SHARE_COUNT_CONFIG, Integer.toString(maxTasks));
      configs.add(task);
    }
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return WorkOsSinkConnectorConfig.configDef();
  }

  /**
   * Connect's per-key validation, plus: the rules document compiles (each error reported against
   * the rules key, with its location) and each rule selects a consumed topic, {@code dlq}
   * behaviours have a dead-letter queue to go to, the base URL passes the tasks' check, and, when
   * WorkOS answers, it accepts the key and the URL leads to its API.
   */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    Map<String, ConfigValue> values = new HashMap<>();
    for (ConfigValue value : config.configValues()) {
      values.put(value.name(), value);
    }
    boolean keysValid =
        config.configValues().stream()
            .filter(v -> !v.name().equals(WorkOsSinkConnectorConfig.API_KEY_CONFIG))
            .allMatch(v -> v.errorMessages().isEmpty());
    if (!keysValid) {
      return config;
    }
    WorkOsSinkConnectorConfig parsed;
    try {
      Map<String, String> withKey = new HashMap<>(connectorConfigs);
      // The key's own error is already reported; parse the rest without it.
      withKey.putIfAbsent(WorkOsSinkConnectorConfig.API_KEY_CONFIG, "sk_placeholder");
      parsed = new WorkOsSinkConnectorConfig(withKey);
    } catch (ConfigException e) {
      return config;
    }
    Optional<UnmatchedPolicy> documentUnmatched = Optional.empty();
    if (parsed.inputMode() == InputMode.DOMAIN) {
      documentUnmatched = validateRules(parsed, connectorConfigs, values);
      if (documentUnmatched.isPresent()) {
        validateRuleTopics(parsed, connectorConfigs, values);
      }
    }
    validateDeadLetterQueue(parsed, connectorConfigs, documentUnmatched, values);
    parsed.egressErrors().forEach((key, message) -> values.get(key).addErrorMessage(message));
    boolean keyGiven =
        connectorConfigs.containsKey(WorkOsSinkConnectorConfig.API_KEY_CONFIG)
            && values.get(WorkOsSinkConnectorConfig.API_KEY_CONFIG).errorMessages().isEmpty();
    if (validateBaseUrl(parsed, values) && keyGiven) {
      checkAccess(parsed, values);
    }
    return config;
  }

  /** The base URL as the tasks check it: https, or plain http to loopback or when allowed. */
  private static boolean validateBaseUrl(
      WorkOsSinkConnectorConfig parsed, Map<String, ConfigValue> values) {
    String url = parsed.getString(WorkOsSinkConnectorConfig.BASE_URL_CONFIG);
    try {
      BaseUrls.normalize(
          URI.create(url.trim()),
          parsed.getBoolean(WorkOsSinkConnectorConfig.ALLOW_INSECURE_HTTP_CONFIG));
      return true;
    } catch (IllegalArgumentException e) {
      String reason = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^baseUrl: ", "");
      if (reason.contains("expected https")) {
        reason =
            "expected https (the API key would travel in clear text), found "
                + url
                + "; plain http is allowed to a loopback host, or elsewhere with "
                + WorkOsSinkConnectorConfig.ALLOW_INSECURE_HTTP_CONFIG
                + "=true";
      } else if (!reason.startsWith("expected")) {
        reason = "expected an absolute http(s) URL such as https://api.workos.com, found " + url;
      }
      values.get(WorkOsSinkConnectorConfig.BASE_URL_CONFIG).addErrorMessage(reason);
      return false;
    }
  }

  /**
   * One cheap authenticated call: a refused key is an error on the key, a 404 on the route an error
   * on the base URL. WorkOS out of reach is not an error (validation may run where WorkOS cannot be
   * reached); it is logged, and the tasks report a wrong key or URL when they start.
   */
  private static void checkAccess(
      WorkOsSinkConnectorConfig parsed, Map<String, ConfigValue> values) {
    if ("audit_trail".equals(parsed.getString(WorkOsSinkConnectorConfig.API_FORMAT_CONFIG))) {
      return; // the legacy API has no audit_logs routes to call
    }
    WorkOsClientConfig client;
    try {
      client = parsed.clientConfig();
    } catch (ConfigException e) {
      return;
    }
    AccessCheck.Result result = AccessCheck.run(client, ACCESS_CHECK_TIMEOUT);
    if (result instanceof AccessCheck.Result.KeyRefused refused) {
      values
          .get(WorkOsSinkConnectorConfig.API_KEY_CONFIG)
          .addErrorMessage(
              // Named in the text too: Connect's answer to a refused PUT lists messages only.
              WorkOsSinkConnectorConfig.API_KEY_CONFIG
                  + ": WorkOS refused the key (HTTP "
                  + refused.status()
                  + ": "
                  + refused.message()
                  + "): expected a valid API key of this WorkOS environment");
    } else if (result instanceof AccessCheck.Result.NotTheApi notTheApi) {
      values
          .get(WorkOsSinkConnectorConfig.BASE_URL_CONFIG)
          .addErrorMessage(
              WorkOsSinkConnectorConfig.BASE_URL_CONFIG
                  + ": WorkOS answered HTTP "
                  + notTheApi.status()
                  + " at "
                  + client.baseUrl()
                  + "/audit_logs/actions: expected the API's root URL, such as"
                  + " https://api.workos.com, without a path");
    } else if (result instanceof AccessCheck.Result.Inconclusive inconclusive) {
      log.warn(
          "could not check {} and {} while validating ({}); the tasks will report a refused key or"
              + " a wrong URL when they start",
          WorkOsSinkConnectorConfig.API_KEY_CONFIG,
          WorkOsSinkConnectorConfig.BASE_URL_CONFIG,
          inconclusive.reason());
    }
  }

  /** Rules that select none of the consumed topics are errors on the rules key. */
  private static void validateRuleTopics(
      WorkOsSinkConnectorConfig parsed,
      Map<String, String> props,
      Map<String, ConfigValue> values) {
    String transforms = props.get(TRANSFORMS_CONFIG);
    if (transforms != null && !transforms.isBlank()) {
      // The rules see the topic after the transforms, which may rename it.
      log.info(
          "not checking that the rules select the consumed topics: transforms ({}) may rename them",
          transforms);
      return;
    }
    List<String> topics = new ArrayList<>();
    String listed = props.get(TOPICS_CONFIG);
    if (listed != null) {
      for (String t : listed.split(",", -1)) {
        if (!t.isBlank()) {
          topics.add(t.trim());
        }
      }
    }
    Optional<String> regex =
        Optional.ofNullable(props.get(TOPICS_REGEX_CONFIG)).filter(r -> !r.isBlank());
    if (topics.isEmpty() && regex.isEmpty()) {
      return; // Connect itself requires one of them
    }
    ConfigValue target = values.get(rulesKey(props));
    for (String problem : RuleTopicsCheck.unconsumedRules(parsed.rulesDocument(), topics, regex)) {
      target.addErrorMessage(problem);
    }
  }

  private static Optional<UnmatchedPolicy> validateRules(
      WorkOsSinkConnectorConfig parsed,
      Map<String, String> props,
      Map<String, ConfigValue> values) {
    String key = rulesKey(props);
    ConfigValue target = values.get(key);
    String document;
    try {
      document = parsed.rulesDocument();
    } catch (ConfigException e) {
      target.addErrorMessage(e.getMessage());
      return Optional.empty();
    }
    try {
      // As the tasks compile it: organizations by external id are looked up at delivery.
      CompiledRules rules = RulesCompiler.compile(document, OrganizationResolver.atDelivery());
      // A group of rules may dead-letter its topics' unmatched records even if the document skips.
      return Optional.of(
          rules.mayDeadLetterUnmatched() ? UnmatchedPolicy.DLQ : rules.unmatchedPolicy());
    } catch (RulesValidationException e) {
      for (RulesError error : e.errors()) {
        target.addErrorMessage(error.toString());
      }
      return Optional.empty();
    }
  }

  private static void validateDeadLetterQueue(
      WorkOsSinkConnectorConfig parsed,
      Map<String, String> props,
      Optional<UnmatchedPolicy> documentUnmatched,
      Map<String, ConfigValue> values) {
    boolean tolerant = "all".equals(props.get(ERRORS_TOLERANCE_CONFIG));
    String dlqTopic = props.get(DLQ_TOPIC_CONFIG);
    boolean hasDlq = tolerant && dlqTopic != null && !dlqTopic.isBlank();
    if (hasDlq) {
      return;
    }
    String needs =
        "expected errors.tolerance=all and errors.deadletterqueue.topic.name set for a dlq"
            + " behaviour, found errors.tolerance="
            + props.getOrDefault(ERRORS_TOLERANCE_CONFIG, "none")
            + (dlqTopic == null || dlqTopic.isBlank() ? " and no DLQ topic" : "");
    Optional<UnmatchedPolicy> unmatched = parsed.unmatchedOverride().or(() -> documentUnmatched);
    if (unmatched.orElse(UnmatchedPolicy.SKIP) == UnmatchedPolicy.DLQ) {
      String key =
          parsed.unmatchedOverride().isPresent() ? BEHAVIOR_ON_UNMATCHED_CONFIG : rulesKey(props);
      values.get(key).addErrorMessage("unmatched: dlq: " + needs);
    }
    if ("dlq".equals(props.get(BEHAVIOR_ON_NULL_VALUES_CONFIG))) {
      values.get(BEHAVIOR_ON_NULL_VALUES_CONFIG).addErrorMessage(needs);
    }
    if ("dlq".equals(props.get(OUTAGE_BEHAVIOR_CONFIG))) {
      values.get(OUTAGE_BEHAVIOR_CONFIG).addErrorMessage(needs);
    }
  }

  private static String rulesKey(Map<String, String> props) {
    String path = props.get(RULES_PATH_CONFIG);
    String inline = props.get(RULES_CONFIG);
    return path != null && !path.isBlank() && (inline == null || inline.isBlank())
        ? RULES_PATH_CONFIG
        : RULES_CONFIG;
  }
}
