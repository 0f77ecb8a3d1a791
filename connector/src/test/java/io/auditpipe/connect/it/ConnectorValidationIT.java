package io.auditpipe.connect.it;

import static io.auditpipe.connect.it.ConnectClusterSupport.TEST_API_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.connect.TestRules;
import io.auditpipe.connect.WorkOsSinkConnector;
import io.auditpipe.testkit.emulator.Emulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connect's REST validation endpoint runs the connector's checks (issue 5, test 6 and 8). */
class ConnectorValidationIT {

  private static EmbeddedConnectCluster connect;
  private static Emulator workos;

  @BeforeAll
  static void start() {
    connect = ConnectClusterSupport.sharedCluster();
    workos = Emulator.start(TEST_API_KEY);
  }

  @AfterAll
  static void stop() {
    if (workos != null) {
      workos.close();
    }
  }

  private static Map<String, String> config() {
    Map<String, String> props = new HashMap<>();
    props.put("connector.class", WorkOsSinkConnector.class.getName());
    props.put("name", "validated");
    props.put("topics", "orders");
    props.put("workos.api.key", TEST_API_KEY);
    props.put("workos.base.url", "http://127.0.0.1:9");
    props.put("auditpipe.rules", TestRules.orders("orders", "skip"));
    return props;
  }

  private static List<String> errors(ConfigInfos infos, String key) {
    return infos.configs().stream()
        .map(ConfigInfo::configValue)
        .filter(v -> v.name().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no config value for " + key))
        .errors();
  }

  @Test
  void acceptsAValidConfig() {
    ConfigInfos infos =
        connect.validateConnectorConfig(WorkOsSinkConnector.class.getSimpleName(), config());
    assertThat(infos.errorCount()).as(infos.toString()).isZero();
  }

  @Test
  void refusesABrokenRulesDocumentNamingTheRuleLocation() {
    Map<String, String> props = config();
    props.put(
        "auditpipe.rules",
        """
        {"version": 1, "rules": [
          {"name": "ok", "topics": ["orders"], "action": "a", "organization_id": "org_1",
           "actor": {"id": "u", "type": "user"}, "targets": [{"id": "t", "type": "t"}],
           "context": {"location": "1.1.1.1"}},
          {"name": "bad-actor", "topics": ["orders"], "action": "b", "organization_id": "org_1",
           "actor": {"id": {"path": "user/id"}, "type": "user"}, "targets": [],
           "context": {"location": "1.1.1.1"}}]}
        """);
    ConfigInfos infos =
        connect.validateConnectorConfig(WorkOsSinkConnector.class.getSimpleName(), props);
    List<String> errors = errors(infos, "auditpipe.rules");
    assertThat(errors).isNotEmpty();
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("rules[1]").contains("bad-actor"));
  }

  @Test
  void refusesAMissingApiKeyNamingTheKey() {
    Map<String, String> props = config();
    props.remove("workos.api.key");
    ConfigInfos infos =
        connect.validateConnectorConfig(WorkOsSinkConnector.class.getSimpleName(), props);
    assertThat(errors(infos, "workos.api.key"))
        .singleElement()
        .asString()
        .contains("workos.api.key");
  }

  @Test
  void refusesDlqBehavioursWithoutADeadLetterQueue() {
    Map<String, String> props = config();
    props.put("auditpipe.behavior.on.null.values", "dlq");
    ConfigInfos infos =
        connect.validateConnectorConfig(WorkOsSinkConnector.class.getSimpleName(), props);
    assertThat(errors(infos, "auditpipe.behavior.on.null.values"))
        .singleElement()
        .asString()
        .contains("errors.tolerance=all");
  }

  @Test
  void restAnswersNeverShowTheApiKey() throws Exception {
    Map<String, String> props = config();
    props.put("auditpipe.rules", "{not json");
    ConfigInfos infos =
        connect.validateConnectorConfig(WorkOsSinkConnector.class.getSimpleName(), props);
    assertThat(infos.toString()).doesNotContain(TEST_API_KEY);

    Map<String, String> deployed = config();
    deployed.remove("name");
    deployed.put("workos.api.key", ConnectClusterSupport.apiKeyReference());
    connect.configureConnector("secret-check", deployed);
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(connect.endpointForResource("connectors/secret-check")))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(body).contains("workos.api.key").doesNotContain(TEST_API_KEY);
    assertThat(Optional.ofNullable(ConnectClusterSupport.capturedLogs()).orElse(""))
        .doesNotContain(TEST_API_KEY);
    connect
        .assertions()
        .assertConnectorAndExactlyNumTasksAreRunning("secret-check", 1, "task did not start");
    assertThat(ConnectClusterSupport.capturedLogs()).doesNotContain(TEST_API_KEY);
    connect.deleteConnector("secret-check");
  }

  @Test
  void acceptsAKeyAndUrlWorkOsAccepts() {
    Map<String, String> props = config();
    props.put("workos.base.url", workos.baseUrl());
    ConfigInfos infos =
        connect.validateConnectorConfig(WorkOsSinkConnector.class.getSimpleName(), props);
    assertThat(infos.errorCount()).as(infos.toString()).isZero();
  }

  @Test
  void refusesAKeyWorkOsRefusesWithoutShowingIt() {
    String wrongKey = "sk_test_rotated_away_0123456789";
    Map<String, String> props = config();
    props.put("workos.base.url", workos.baseUrl());
    props.put("workos.api.key", wrongKey);
    ConfigInfos infos =
        connect.validateConnectorConfig(WorkOsSinkConnector.class.getSimpleName(), props);
    assertThat(errors(infos, "workos.api.key"))
        .singleElement()
        .asString()
        .contains("HTTP 401")
        .contains("expected a valid API key");
    assertThat(infos.toString()).doesNotContain(wrongKey);
  }

  @Test
  void refusesABasePathThatIsNotTheApi() {
    Map<String, String> props = config();
    props.put("workos.base.url", workos.baseUrl() + "/v1");
    ConfigInfos infos =
        connect.validateConnectorConfig(WorkOsSinkConnector.class.getSimpleName(), props);
    assertThat(errors(infos, "workos.base.url"))
        .singleElement()
        .asString()
        .contains("HTTP 404")
        .contains("without a path");
  }

  @Test
  void refusesPlainHttpToAnotherHost() {
    Map<String, String> props = config();
    props.put("workos.base.url", "http://workos.example.invalid");
    ConfigInfos infos =
        connect.validateConnectorConfig(WorkOsSinkConnector.class.getSimpleName(), props);
    assertThat(errors(infos, "workos.base.url"))
        .singleElement()
        .asString()
        .contains("expected https")
        .contains("workos.allow.insecure.http=true");
  }

  @Test
  void refusesRulesThatSelectNoneOfTheTopics() {
    Map<String, String> props = config();
    props.put("auditpipe.rules", TestRules.orders("payments", "skip"));
    ConfigInfos infos =
        connect.validateConnectorConfig(WorkOsSinkConnector.class.getSimpleName(), props);
    assertThat(errors(infos, "auditpipe.rules"))
        .singleElement()
        .asString()
        .contains("order-paid")
        .contains("[payments]")
        .contains("topics=orders");
  }
}
