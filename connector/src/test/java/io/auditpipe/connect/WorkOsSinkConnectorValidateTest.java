package io.auditpipe.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@link WorkOsSinkConnector#validate} checks beyond the config keys: the base URL as the
 * tasks check it, the key and the URL against WorkOS (the emulator) when it answers, and that the
 * rules select the consumed topics.
 */
class WorkOsSinkConnectorValidateTest {

  private static final String API_KEY = "sk_test_auditpipe_validate";

  @RegisterExtension
  static final WorkOsEmulatorExtension WORKOS =
      WorkOsEmulatorExtension.builder().apiKey(API_KEY).noRateLimit().build();

  private static Map<String, String> valid() {
    Map<String, String> props = new HashMap<>();
    props.put("topics", "orders");
    props.put("workos.api.key", API_KEY);
    props.put("workos.base.url", WORKOS.baseUrl().toString());
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

  private static long errorCount(Config config) {
    return config.configValues().stream().mapToLong(v -> v.errorMessages().size()).sum();
  }

  @Test
  void acceptsAKeyAndUrlWorkOsAccepts() {
    Config config = new WorkOsSinkConnector().validate(valid());
    assertThat(errorCount(config)).as(config.configValues().toString()).isZero();
  }

  @Test
  void aRefusedKeyIsAnErrorOnTheKeyThatNeverShowsIt() {
    Map<String, String> props = valid();
    props.put("workos.api.key", "sk_test_not_the_right_one");
    Config config = new WorkOsSinkConnector().validate(props);
    assertThat(errors(config, "workos.api.key"))
        .singleElement()
        .asString()
        .contains("HTTP 401")
        .contains("expected a valid API key")
        .doesNotContain("sk_test_not_the_right_one");
    assertThat(errors(config, "workos.base.url")).isEmpty();
  }

  @Test
  void aBasePathThatIsNotTheApiIsAnErrorOnTheUrl() {
    Map<String, String> props = valid();
    props.put("workos.base.url", WORKOS.baseUrl() + "/v1");
    Config config = new WorkOsSinkConnector().validate(props);
    assertThat(errors(config, "workos.base.url"))
        .singleElement()
        .asString()
        .contains("HTTP 404")
        .contains("/v1/audit_logs/actions");
    assertThat(errors(config, "workos.api.key")).isEmpty();
  }

  @Test
  void workOsOutOfReachIsNotAnError() {
    Map<String, String> props = valid();
    props.put("workos.base.url", "http://127.0.0.1:1");
    Config config = new WorkOsSinkConnector().validate(props);
    assertThat(errorCount(config)).isZero();
  }

  @Test
  void plainHttpToAnotherHostIsRefusedUnlessAllowed() {
    Map<String, String> props = valid();
    props.put("workos.base.url", "http://workos.internal.invalid:8080");
    Config config = new WorkOsSinkConnector().validate(props);
    assertThat(errors(config, "workos.base.url"))
        .singleElement()
        .asString()
        .contains("expected https")
        .contains("workos.allow.insecure.http=true");

    props.put("workos.allow.insecure.http", "true");
    assertThat(errors(new WorkOsSinkConnector().validate(props), "workos.base.url")).isEmpty();
  }

  @Test
  void aMalformedUrlIsAnErrorOnTheUrl() {
    Map<String, String> props = valid();
    props.put("workos.base.url", "ftp://api.workos.com");
    assertThat(errors(new WorkOsSinkConnector().validate(props), "workos.base.url"))
        .singleElement()
        .asString()
        .contains("expected an http or https URL");
  }

  @Test
  void rulesSelectingNoneOfTheConsumedTopicsAreAnErrorNamingThem() {
    Map<String, String> props = valid();
    props.put("topics", "orders,refunds");
    props.put("auditpipe.rules", TestRules.orders("payments", "skip"));
    assertThat(errors(new WorkOsSinkConnector().validate(props), "auditpipe.rules"))
        .singleElement()
        .asString()
        .contains("rules[0] (\"order-paid\")")
        .contains("[payments]")
        .contains("topics=orders,refunds");
  }

  @Test
  void aTopicsRegexThatMatchesTheRulesTopicsPasses() {
    Map<String, String> props = valid();
    props.remove("topics");
    props.put("topics.regex", "pay.*");
    props.put("auditpipe.rules", TestRules.orders("payments", "skip"));
    assertThat(errors(new WorkOsSinkConnector().validate(props), "auditpipe.rules")).isEmpty();

    props.put("topics.regex", "orders.*");
    assertThat(errors(new WorkOsSinkConnector().validate(props), "auditpipe.rules"))
        .singleElement()
        .asString()
        .contains("topics.regex=orders.*");
  }

  @Test
  void aTopicPatternMatchingNoConsumedTopicIsAnError() {
    Map<String, String> props = valid();
    props.put(
        "auditpipe.rules",
        TestRules.orders("orders", "skip")
            .replace("\"topics\": [\"orders\"]", "\"topic_pattern\": \"pay-.*\""));
    assertThat(errors(new WorkOsSinkConnector().validate(props), "auditpipe.rules"))
        .singleElement()
        .asString()
        .contains("topic_pattern pay-.*");
  }

  @Test
  void transformsThatMayRenameTopicsSkipTheTopicCheck() {
    Map<String, String> props = valid();
    props.put("auditpipe.rules", TestRules.orders("audit-orders", "skip"));
    props.put("transforms", "route");
    assertThat(errors(new WorkOsSinkConnector().validate(props), "auditpipe.rules")).isEmpty();
  }
}
