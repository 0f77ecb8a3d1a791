package io.auditpipe.connect;

import static io.auditpipe.connect.config.WorkOsSinkConnectorConfig.BEHAVIOR_ON_EXHAUSTED_CONFIG;
import static io.auditpipe.connect.config.WorkOsSinkConnectorConfig.BEHAVIOR_ON_NULL_VALUES_CONFIG;
import static io.auditpipe.connect.config.WorkOsSinkConnectorConfig.BEHAVIOR_ON_UNMATCHED_CONFIG;
import static io.auditpipe.connect.config.WorkOsSinkConnectorConfig.RULES_CONFIG;
import static io.auditpipe.connect.config.WorkOsSinkConnectorConfig.RULES_PATH_CONFIG;

import io.auditpipe.connect.config.InputMode;
import io.auditpipe.connect.config.WorkOsSinkConnectorConfig;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.core.rules.RulesError;
import io.auditpipe.core.rules.RulesValidationException;
import io.auditpipe.core.rules.UnmatchedPolicy;
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

/**
 * The auditpipe sink connector: maps domain events with a rules document and delivers them to
 * WorkOS Audit Logs. {@link #validate} compiles the rules, so Connect's REST validation endpoint
 * reports every rule error against the rules key before a task starts.
 */
public final class WorkOsSinkConnector extends SinkConnector {

  static final String ERRORS_TOLERANCE_CONFIG = "errors.tolerance";
  static final String DLQ_TOPIC_CONFIG = "errors.deadletterqueue.topic.name";

  private Map<String, String> props;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    WorkOsSinkConnectorConfig config = new WorkOsSinkConnectorConfig(props);
    if (config.inputMode() == InputMode.DOMAIN) {
      List<RulesError> errors = RulesCompiler.validate(config.rulesDocument());
      if (!errors.isEmpty()) {
        throw new ConfigException(rulesKey(props), "(rules document)", errors.get(0).toString());
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
   * the rules key, with its location), and {@code dlq} behaviours have a dead-letter queue to go
   * to.
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
    }
    validateDeadLetterQueue(parsed, connectorConfigs, documentUnmatched, values);
    parsed.egressErrors().forEach((key, message) -> values.get(key).addErrorMessage(message));
    return config;
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
      CompiledRules rules = RulesCompiler.compile(document);
      return Optional.of(rules.unmatchedPolicy());
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
    if ("dlq".equals(props.get(BEHAVIOR_ON_EXHAUSTED_CONFIG))) {
      values.get(BEHAVIOR_ON_EXHAUSTED_CONFIG).addErrorMessage(needs);
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
