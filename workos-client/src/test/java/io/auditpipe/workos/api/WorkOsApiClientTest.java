package io.auditpipe.workos.api;

import static io.auditpipe.workos.TestEvents.API_KEY;
import static io.auditpipe.workos.TestEvents.ORG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.emulator.MutableClock;
import io.auditpipe.emulator.faults.FaultKind;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import io.auditpipe.workos.ApiKey;
import io.auditpipe.workos.AuditLogClient;
import io.auditpipe.workos.DeliveryOutcome;
import io.auditpipe.workos.TestEvents;
import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.exchange.ExchangeEngine;
import io.auditpipe.workos.time.RecordingScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WorkOsApiClientTest {

  @RegisterExtension
  static final WorkOsEmulatorExtension workos =
      WorkOsEmulatorExtension.builder()
          .apiKey(API_KEY)
          .organization(ORG, "acme")
          .noRateLimit()
          .build();

  private final MutableClock clock = new MutableClock();
  private final RecordingScheduler scheduler = new RecordingScheduler(clock);
  private ExchangeEngine engine;

  /** A client whose waits are recorded, not slept. */
  private WorkOsApiClient api() {
    WorkOsClientConfig config =
        WorkOsClientConfig.builder(ApiKey.of(API_KEY)).baseUrl(workos.baseUrl()).build();
    engine = ExchangeEngine.builder(config).clock(clock).scheduler(scheduler).build();
    return WorkOsApiClient.on(engine);
  }

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void schemasAreCreatedInVersionsAndListed() throws Exception {
    ObjectMapper json = new ObjectMapper();
    try (WorkOsApiClient api = api()) {
      AuditLogSchema v1 =
          api.createSchema("user.invited", json.readTree("{\"targets\":[{\"type\":\"user\"}]}"));
      AuditLogSchema v2 =
          api.createSchema(
              "user.invited",
              json.readTree(
                  "{\"targets\":[{\"type\":\"user\"}],\"metadata\":{\"type\":\"object\","
                      + "\"properties\":{\"plan\":{\"type\":\"string\"}}}}"));
      assertThat(v1.version()).isEqualTo(1);
      assertThat(v2.version()).isEqualTo(2);
      assertThat(api.listSchemas("user.invited"))
          .extracting(AuditLogSchema::version)
          .containsExactlyInAnyOrder(1, 2);
      assertThat(api.listActions())
          .extracting(n -> n.path("name").asText())
          .contains("user.invited");
    }
  }

  @Test
  void exportIsCreatedAwaitedAndDownloadedAsCsv() throws Exception {
    WorkOsClientConfig config =
        WorkOsClientConfig.builder(ApiKey.of(API_KEY))
            .baseUrl(workos.baseUrl())
            .requestsPerMinute(0)
            .build();
    try (AuditLogClient client = AuditLogClient.create(config)) {
      var e = TestEvents.event();
      var recent =
          new io.auditpipe.core.model.AuditEvent(
              e.organizationId(),
              e.action(),
              Instant.now().minus(Duration.ofMinutes(1)),
              e.version(),
              e.actor(),
              e.targets(),
              e.context(),
              e.metadata());
      DeliveryOutcome o = client.send(recent, "k-export").get(10, TimeUnit.SECONDS);
      assertThat(o).isInstanceOf(DeliveryOutcome.Delivered.class);
    }
    try (WorkOsApiClient api = new WorkOsApiClient(config)) {
      Instant now = Instant.now();
      AuditLogExport created =
          api.createExport(ExportRequest.of(ORG, now.minus(Duration.ofDays(30)), now));
      assertThat(created.id()).startsWith("audit_log_export");
      AuditLogExport ready =
          api.awaitExport(created.id(), Duration.ofMillis(10), Duration.ofSeconds(5));
      assertThat(ready.ready()).isTrue();
      String csv = api.downloadCsv(ready);
      assertThat(csv.lines().count()).as(csv).isEqualTo(2);
      assertThat(csv).contains("user.signed_in").contains("user_1");
    }
  }

  @Test
  void retentionIsReadAndSet() {
    try (WorkOsApiClient api = api()) {
      assertThat(api.setRetention(ORG, 365)).isEqualTo(365);
      assertThat(api.getRetention(ORG)).isEqualTo(OptionalInt.of(365));
      assertThatThrownBy(() -> api.getRetention("org_missing"))
          .isInstanceOf(WorkOsApiException.class)
          .satisfies(e -> assertThat(((WorkOsApiException) e).status()).hasValue(404))
          .hasMessageNotContaining(API_KEY);
    }
  }

  @Test
  void organizationsAreFoundByExternalIdThroughTheCache() {
    try (WorkOsApiClient api = api()) {
      assertThat(api.organizationByExternalId("acme")).map(Organization::id).contains(ORG);
      assertThat(api.organizationByExternalId("nobody")).isEmpty();
      CachingOrganizationResolver resolver = CachingOrganizationResolver.of(api);
      assertThat(resolver.resolveExternalId("acme")).contains(ORG);
      assertThat(resolver.resolveExternalId("acme")).contains(ORG);
      assertThat(resolver.resolveExternalId("nobody")).isEqualTo(Optional.empty());
      assertThat(resolver.size()).isEqualTo(2);
    }
  }

  @Test
  void readsAreRetriedAfterServerErrors() {
    workos.faults(FaultSettings.NONE.withNext(FaultKind.STATUS_503, FaultKind.THROTTLE_429));
    try (WorkOsApiClient api = api()) {
      assertThat(api.organizationByExternalId("acme")).isPresent();
    }
    assertThat(scheduler.delays()).hasSize(2);
    assertThat(scheduler.delays().get(1)).isEqualTo(Duration.ofSeconds(1));
  }
}
