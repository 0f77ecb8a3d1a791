package io.auditpipe.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditpipe.connect.config.WorkOsSinkConnectorConfig;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkOsSinkConnectorTest {

  private static Map<String, String> valid() {
    Map<String, String> props = new HashMap<>();
    props.put("workos.api.key", "sk_test_123");
    props.put("workos.base.url", "http://127.0.0.1:1");
    props.put("auditpipe.rules", TestRules.orders("orders", "skip"));
    return props;
  }

  private static List<String> errors(Config config, String key) {
    return config.configValues().stream()
        .filter(v -> v.name().equals(key))
        .findFirst()
        .map(ConfigValue::errorMessages)
        .orElseThrow();
  }

  @Test
  void validConfigHasNoErrors() {
    Config config = new WorkOsSinkConnector().validate(valid());
    assertThat(config.configValues()).allSatisfy(v -> assertThat(v.errorMessages()).isEmpty());
  }

  @Test
  void reportsEveryRuleErrorAgainstTheRulesKeyWithItsLocation() {
    Map<String, String> props = valid();
    props.put(
        "auditpipe.rules",
        """
        {"version": 1, "rules": [{"name": "broken", "topics": ["t"], "action": "a",
          "actor": {"id": {"path": "no-slash"}, "type": "user"}, "targets": []}]}
        """);
    Config config = new WorkOsSinkConnector().validate(props);
    List<String> errors = errors(config, "auditpipe.rules");
    assertThat(errors).isNotEmpty();
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("rules[0]"));
  }

  @Test
  void reportsAMissingApiKeyAgainstItsKey() {
    Map<String, String> props = valid();
    props.remove("workos.api.key");
    Config config = new WorkOsSinkConnector().validate(props);
    assertThat(errors(config, "workos.api.key"))
        .singleElement()
        .asString()
        .contains("workos.api.key");
  }

  @Test
  void requiresExactlyOneRulesSource() {
    Map<String, String> props = valid();
    props.remove("auditpipe.rules");
    Config config = new WorkOsSinkConnector().validate(props);
    assertThat(errors(config, "auditpipe.rules"))
        .singleElement()
        .asString()
        .contains("exactly one of auditpipe.rules and auditpipe.rules.path");
  }

  @Test
  void theAttemptCountBehaviourIsReplacedAndValidationSaysBy() {
    Map<String, String> props = valid();
    props.put("auditpipe.behavior.on.retries.exhausted", "fail");
    Config config = new WorkOsSinkConnector().validate(props);
    assertThat(errors(config, "auditpipe.behavior.on.retries.exhausted"))
        .singleElement()
        .asString()
        .contains("is replaced")
        .contains("auditpipe.outage.behavior");
    props.remove("auditpipe.behavior.on.retries.exhausted");
    assertThat(new WorkOsSinkConnector().validate(props).configValues())
        .allSatisfy(v -> assertThat(v.errorMessages()).isEmpty());
  }

  @Test
  void dlqBehavioursNeedToleranceAllAndADeadLetterTopic() {
    Map<String, String> props = valid();
    props.put("auditpipe.rules", TestRules.orders("orders", "dlq"));
    props.put("auditpipe.behavior.on.null.values", "dlq");
    props.put("auditpipe.outage.behavior", "dlq");
    Config config = new WorkOsSinkConnector().validate(props);
    assertThat(errors(config, "auditpipe.rules"))
        .singleElement()
        .asString()
        .contains("unmatched: dlq")
        .contains("errors.tolerance=all");
    assertThat(errors(config, "auditpipe.behavior.on.null.values")).hasSize(1);
    assertThat(errors(config, "auditpipe.outage.behavior")).hasSize(1);

    props.put("errors.tolerance", "all");
    props.put("errors.deadletterqueue.topic.name", "dlq");
    Config fixed = new WorkOsSinkConnector().validate(props);
    assertThat(fixed.configValues()).allSatisfy(v -> assertThat(v.errorMessages()).isEmpty());
  }

  @Test
  void auditEventModeNeedsNoRules() {
    Map<String, String> props = valid();
    props.remove("auditpipe.rules");
    props.put("auditpipe.input.mode", "audit-event");
    Config config = new WorkOsSinkConnector().validate(props);
    assertThat(config.configValues()).allSatisfy(v -> assertThat(v.errorMessages()).isEmpty());
  }

  @Test
  void errorsNeverEchoTheApiKey() {
    Map<String, String> props = valid();
    props.put("workos.api.key", "sk_secret with space");
    Config config = new WorkOsSinkConnector().validate(props);
    assertThat(errors(config, "workos.api.key"))
        .singleElement()
        .asString()
        .doesNotContain("sk_secret");
  }

  @Test
  void splitsTheRateLimitAcrossTasks() {
    WorkOsSinkConnector connector = new WorkOsSinkConnector();
    connector.start(valid());
    List<Map<String, String>> tasks = connector.taskConfigs(3);
    assertThat(tasks).hasSize(3);
    assertThat(tasks)
        .allSatisfy(
            t ->
                assertThat(t)
                    .containsEntry(WorkOsSinkConnectorConfig.TASK_SHARE_COUNT_CONFIG, "3"));
    assertThat(new WorkOsSinkConnectorConfig(tasks.get(0)).clientConfig().shareCount())
        .isEqualTo(3);
  }

  @Test
  void proxyAndTrustStoreReachTheClientAndBadOnesNameTheirKeys(@TempDir Path dir) throws Exception {
    Map<String, String> props = valid();
    props.put("workos.proxy.url", "http://proxy.corp:3128");
    props.put("workos.proxy.username", "svc");
    props.put("workos.proxy.password", "proxy-secret");
    var client = new WorkOsSinkConnectorConfig(props).clientConfig();
    assertThat(client.proxy()).hasValueSatisfying(p -> assertThat(p.port()).isEqualTo(3128));
    assertThat(client.proxy().get().password().map(s -> s.reveal())).contains("proxy-secret");
    assertThat(client.toString()).doesNotContain("proxy-secret");

    Map<String, String> withCredentialsInUrl = valid();
    withCredentialsInUrl.put("workos.proxy.url", "http://svc:pw@proxy.corp:3128");
    assertThat(errors(new WorkOsSinkConnector().validate(withCredentialsInUrl), "workos.proxy.url"))
        .singleElement()
        .asString()
        .contains("workos.proxy.password")
        .doesNotContain("pw@");

    Map<String, String> missing = valid();
    missing.put("workos.ssl.truststore.location", dir.resolve("absent.pem").toString());
    assertThat(
            errors(new WorkOsSinkConnector().validate(missing), "workos.ssl.truststore.location"))
        .singleElement()
        .asString()
        .contains("readable file");

    Path notPem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN NOTHING-----\n");
    Map<String, String> empty = valid();
    empty.put("workos.ssl.truststore.location", notPem.toString());
    assertThatThrownBy(() -> new WorkOsSinkConnectorConfig(empty).clientConfig())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("workos.ssl.truststore.location");
    assertThat(errors(new WorkOsSinkConnector().validate(empty), "workos.ssl.truststore.location"))
        .singleElement()
        .asString()
        .contains("BEGIN CERTIFICATE");
  }

  @Test
  void httpVersionDefaultsToHttp2AndRefusesUnknownVersions() {
    assertThat(new WorkOsSinkConnectorConfig(valid()).clientConfig().httpVersion())
        .isEqualTo(HttpClient.Version.HTTP_2);

    Map<String, String> http11 = valid();
    http11.put("workos.http.version", "HTTP_1_1");
    assertThat(new WorkOsSinkConnectorConfig(http11).clientConfig().httpVersion())
        .isEqualTo(HttpClient.Version.HTTP_1_1);

    Map<String, String> unknown = valid();
    unknown.put("workos.http.version", "HTTP_3");
    assertThat(errors(new WorkOsSinkConnector().validate(unknown), "workos.http.version"))
        .singleElement()
        .asString()
        .contains("HTTP_3");
  }
}
