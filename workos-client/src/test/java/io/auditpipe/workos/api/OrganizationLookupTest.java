package io.auditpipe.workos.api;

import static io.auditpipe.workos.TestEvents.API_KEY;
import static io.auditpipe.workos.TestEvents.ORG;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.emulator.MutableClock;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.testkit.emulator.WorkOsEmulatorExtension;
import io.auditpipe.workos.ApiKey;
import io.auditpipe.workos.AuditLogClient;
import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OrganizationLookupTest {

  @RegisterExtension
  static final WorkOsEmulatorExtension workos =
      WorkOsEmulatorExtension.builder()
          .apiKey(API_KEY)
          .organization(ORG, "acme")
          .noRateLimit()
          .build();

  private static WorkOsClientConfig.Builder config() {
    return WorkOsClientConfig.builder(ApiKey.of(API_KEY))
        .baseUrl(workos.baseUrl())
        .maxAttempts(3)
        .baseBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(5));
  }

  private static LookupOutcome lookUp(WorkOsClientConfig config, RateLimiter budget, String id)
      throws Exception {
    // As the connector does: the lookups run on the events' engine and share its budget.
    try (AuditLogClient client = AuditLogClient.builder(config).rateLimiter(budget).build();
        ApiOrganizationLookup lookup = new ApiOrganizationLookup(client.api())) {
      return lookup.byExternalId(id).get(20, TimeUnit.SECONDS);
    }
  }

  private static LookupOutcome lookUp(String id) throws Exception {
    return lookUp(config().build(), RateLimiter.unlimited(), id);
  }

  @Test
  void findsTheOrganizationTakingAPermitOfTheSharedBudget() throws Exception {
    AtomicInteger permits = new AtomicInteger();
    RateLimiter counting =
        new RateLimiter() {
          @Override
          public Duration reserve() {
            permits.incrementAndGet();
            return Duration.ZERO;
          }

          @Override
          public void onAccepted() {}

          @Override
          public boolean onThrottled(Optional<Duration> retryAfter) {
            return false;
          }

          @Override
          public double ratePerSecond() {
            return 1;
          }
        };
    assertThat(lookUp(config().build(), counting, "acme")).isEqualTo(new LookupOutcome.Found(ORG));
    assertThat(permits).hasValue(1);
  }

  @Test
  void unknownAndUnacceptableIdsAreRefusedWithTheirStatus() throws Exception {
    for (String bad : new String[] {"nobody", "acme\n", "a/b", "x".repeat(300), "é ü"}) {
      LookupOutcome o = lookUp(bad);
      assertThat(o).as(bad).isInstanceOf(LookupOutcome.Refused.class);
      assertThat(((LookupOutcome.Refused) o).status()).as(bad).isBetween(400, 499);
    }
  }

  @Test
  void aWrongKeyOrBasePathIsMisconfigured() throws Exception {
    LookupOutcome key =
        lookUp(
            config().apiKey(ApiKey.of("sk_test_wrong")).build(), RateLimiter.unlimited(), "acme");
    assertThat(key).isInstanceOf(LookupOutcome.Misconfigured.class);
    assertThat(((LookupOutcome.Misconfigured) key).status()).isEqualTo(401);
    assertThat(key.toString()).doesNotContain("sk_test_wrong");
    LookupOutcome path =
        lookUp(config().baseUrl(workos.baseUrl() + "/v1").build(), RateLimiter.unlimited(), "acme");
    assertThat(path).isInstanceOf(LookupOutcome.Misconfigured.class);
    assertThat(((LookupOutcome.Misconfigured) path).status()).isEqualTo(404);
  }

  @Test
  void serverErrorsAreRetriedThenUnavailable() throws Exception {
    workos.faults(FaultSettings.NONE.withStatusRate(503, 1.0));
    LookupOutcome o = lookUp("acme");
    assertThat(o).isInstanceOf(LookupOutcome.Unavailable.class);
    assertThat(((LookupOutcome.Unavailable) o).lastStatus()).hasValue(503);
  }

  @Test
  void unreachableIsUnavailable() throws Exception {
    LookupOutcome o =
        lookUp(config().baseUrl("http://127.0.0.1:1").build(), RateLimiter.unlimited(), "acme");
    assertThat(o).isInstanceOf(LookupOutcome.Unavailable.class);
  }

  @Test
  void theCacheKeepsFoundAndRefusedAnswersButAsksAgainAfterAnOutage() throws Exception {
    MutableClock clock = new MutableClock();
    AtomicInteger asked = new AtomicInteger();
    LookupOutcome[] next = {new LookupOutcome.Unavailable("down", java.util.OptionalInt.empty())};
    OrganizationLookup fake =
        new OrganizationLookup() {
          @Override
          public CompletableFuture<LookupOutcome> byExternalId(String externalId) {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(next[0]);
          }

          @Override
          public void close() {}
        };
    CachingOrganizationLookup cache =
        new CachingOrganizationLookup(
            fake, Duration.ofMinutes(10), Duration.ofMinutes(1), 100, clock);
    assertThat(cache.byExternalId("a").get()).isInstanceOf(LookupOutcome.Unavailable.class);
    assertThat(cache.byExternalId("a").get()).isInstanceOf(LookupOutcome.Unavailable.class);
    assertThat(asked).hasValue(2);

    next[0] = new LookupOutcome.Found("org_a");
    assertThat(cache.byExternalId("a").get()).isEqualTo(new LookupOutcome.Found("org_a"));
    assertThat(cache.byExternalId("a").get()).isEqualTo(new LookupOutcome.Found("org_a"));
    assertThat(asked).hasValue(3);

    next[0] =
        new LookupOutcome.Refused(
            404, Optional.empty(), "Organization not found", Optional.empty());
    assertThat(cache.byExternalId("b").get()).isInstanceOf(LookupOutcome.Refused.class);
    assertThat(cache.byExternalId("b").get()).isInstanceOf(LookupOutcome.Refused.class);
    assertThat(asked).hasValue(4);
    clock.advance(Duration.ofMinutes(2));
    cache.byExternalId("b").get();
    assertThat(asked).hasValue(5);
    cache.byExternalId("a").get();
    assertThat(asked).hasValue(5);
    clock.advance(Duration.ofMinutes(9));
    cache.byExternalId("a").get();
    assertThat(asked).hasValue(6);
  }
}
