package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.workos.WorkOS;
import com.workos.common.exceptions.BadRequestException;
import com.workos.common.exceptions.NotFoundException;
import com.workos.common.exceptions.RateLimitException;
import com.workos.common.exceptions.UnauthorizedException;
import com.workos.common.exceptions.UnprocessableEntityException;
import com.workos.common.http.Page;
import com.workos.common.http.RequestOptions;
import com.workos.common.http.RetryConfig;
import com.workos.models.AuditLogAction;
import com.workos.models.AuditLogEvent;
import com.workos.models.AuditLogEventActor;
import com.workos.models.AuditLogEventContext;
import com.workos.models.AuditLogExport;
import com.workos.models.AuditLogSchema;
import com.workos.models.AuditLogSchemaTarget;
import com.workos.models.Organization;
import com.workos.types.AuditLogExportState;
import io.auditpipe.emulator.faults.FaultKind;
import io.auditpipe.emulator.faults.FaultSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WorkOS's official Java (Kotlin) SDK 7.2.0 pointed at the emulator. */
class WorkOsSdkConformanceTest {

  @AutoClose
  static final WorkOsEmulator workos =
      WorkOsEmulator.builder().organization(ORG, "acme").noRateLimit().start();

  @BeforeEach
  void resetEmulator() {
    workos.reset();
  }

  private static OkHttpClient okHttp;

  @BeforeAll
  static void http() {
    okHttp = new OkHttpClient();
  }

  @AfterAll
  static void closeHttp() {
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
  }

  private static WorkOS sdk(String apiKey, RetryConfig retries) {
    return WorkOS.builder()
        .apiKey(apiKey)
        .apiBaseUrl(workos.baseUrl().toString())
        .httpClient(okHttp)
        .retryConfig(retries)
        .build();
  }

  private static WorkOS sdk() {
    return sdk(workos.apiKey(), new RetryConfig(3, 10, 50, 0.0));
  }

  private static AuditLogEvent event(String action, Long version) {
    return new AuditLogEvent(
        action,
        OffsetDateTime.now(ZoneOffset.UTC).minusDays(1),
        new AuditLogEventActor("user_1", "user", "Jon", Map.of("role", "admin")),
        List.of(new AuditLogEventActor("team_1", "team", "Core", null)),
        new AuditLogEventContext("1.1.1.1", null),
        Map.of("plan", "enterprise"),
        version);
  }

  @Test
  void createsEventsWithAndWithoutAnIdempotencyKey() {
    WorkOS sdk = sdk();
    sdk.getAuditLogs().createEvent(ORG, event("user.signed_in", null));
    RequestOptions keyed = RequestOptions.builder().idempotencyKey("sdk-key-1").build();
    AuditLogEvent signedOut = event("user.signed_out", null);
    sdk.getAuditLogs().createEvent(ORG, signedOut, keyed);
    sdk.getAuditLogs().createEvent(ORG, signedOut, keyed);

    assertThat(workos.events(ORG))
        .extracting(e -> e.event().action())
        .containsExactly("user.signed_in", "user.signed_out");
    assertThat(workos.counters().idempotentReplays()).isEqualTo(1);
  }

  @Test
  void retriesAnInjected503AndStoresOneEvent() {
    workos.faults(FaultSettings.NONE.withNext(FaultKind.STATUS_503));

    sdk().getAuditLogs().createEvent(ORG, event("user.signed_in", null));

    assertThat(workos.events(ORG)).hasSize(1);
    assertThat(workos.counters().faults("status_503")).isEqualTo(1);
    assertThat(workos.counters().requests(201)).isEqualTo(1);
  }

  @Test
  void createsAndListsSchemas() {
    WorkOS sdk = sdk();
    Map<String, Object> metadata =
        Map.of("type", "object", "properties", Map.of("plan", Map.of("type", "string")));
    AuditLogSchema v1 =
        sdk.getAuditLogs()
            .createSchema("user.signed_in", List.of(new AuditLogSchemaTarget("team", null)));
    AuditLogSchema v2 =
        sdk.getAuditLogs()
            .createSchema(
                "user.signed_in", List.of(new AuditLogSchemaTarget("team", null)), null, metadata);

    assertThat(v1.getVersion()).isEqualTo(1);
    assertThat(v2.getVersion()).isEqualTo(2);
    Page<AuditLogSchema> schemas = sdk.getAuditLogs().listActionSchemas("user.signed_in");
    assertThat(schemas.data).extracting(AuditLogSchema::getVersion).containsExactly(2L, 1L);
    Page<AuditLogAction> actions = sdk.getAuditLogs().listActions();
    assertThat(actions.data).extracting(AuditLogAction::getName).containsExactly("user.signed_in");

    sdk.getAuditLogs().createEvent(ORG, event("user.signed_in", 2L));
    assertThat(workos.events(ORG)).hasSize(1);
  }

  @Test
  void createsAnExportAndDownloadsItsCsv() throws Exception {
    WorkOS sdk = sdk();
    sdk.getAuditLogs().createEvent(ORG, event("user.signed_in", null));
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);

    AuditLogExport created =
        sdk.getAuditLogs().createExport(ORG, now.minusDays(7), now, List.of("user.signed_in"));
    AuditLogExport ready = sdk.getAuditLogs().getExport(created.getId());

    assertThat(created.getState()).isEqualTo(AuditLogExportState.Pending);
    assertThat(ready.getState()).isEqualTo(AuditLogExportState.Ready);
    HttpResponse<String> csv =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(ready.getUrl())).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.body().split("\r\n")).hasSize(2);
  }

  @Test
  void getsAndUpdatesRetention() {
    WorkOS sdk = sdk();

    assertThat(sdk.getAuditLogs().getAuditLogsRetention(ORG).getRetentionPeriodInDays()).isNull();
    assertThat(sdk.getAuditLogs().updateAuditLogsRetention(ORG, 365).getRetentionPeriodInDays())
        .isEqualTo(365L);
    assertThat(sdk.getAuditLogs().getAuditLogsRetention(ORG).getRetentionPeriodInDays())
        .isEqualTo(365L);
  }

  @Test
  void findsAnOrganizationByExternalId() {
    Organization org = sdk().getOrganizations().getByExternalId("acme");

    assertThat(org.getId()).isEqualTo(ORG);
    assertThat(org.getExternalId()).isEqualTo("acme");
  }

  @Test
  void mapsErrorsToTheSdksTypedExceptions() {
    WorkOS sdk = sdk(workos.apiKey(), RetryConfig.DISABLED);
    sdk.getAuditLogs()
        .createSchema(
            "doc.viewed",
            List.of(new AuditLogSchemaTarget("team", null)),
            null,
            Map.of("type", "object", "properties", Map.of("plan", Map.of("type", "integer"))));

    assertThatThrownBy(() -> sdk.getAuditLogs().createEvent(ORG, event("doc.viewed", null)))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(
            () ->
                sdk("sk_test_wrong", RetryConfig.DISABLED)
                    .getAuditLogs()
                    .createEvent(ORG, event("a", null)))
        .isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> sdk.getAuditLogs().createEvent("org_unknown", event("a", null)))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> sdk.getAuditLogs().createEvent(ORG, event("", null)))
        .isInstanceOf(UnprocessableEntityException.class);
    workos.faults(FaultSettings.NONE.withNext(FaultKind.THROTTLE_429));
    assertThatThrownBy(() -> sdk.getAuditLogs().createEvent(ORG, event("a", null)))
        .isInstanceOf(RateLimitException.class);
  }
}
