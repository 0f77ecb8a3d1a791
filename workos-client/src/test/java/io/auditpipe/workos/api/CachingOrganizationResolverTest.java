package io.auditpipe.workos.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditpipe.emulator.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingOrganizationResolverTest {

  private final MutableClock clock = new MutableClock();
  private final AtomicInteger lookups = new AtomicInteger();

  private CachingOrganizationResolver resolver() {
    return new CachingOrganizationResolver(
        id -> {
          lookups.incrementAndGet();
          if (id.equals("boom")) {
            throw new WorkOsApiException(
                "get organization by external id",
                OptionalInt.of(503),
                Optional.empty(),
                "Service Unavailable",
                List.of(),
                Optional.empty(),
                null);
          }
          return id.startsWith("known") ? Optional.of("org_" + id) : Optional.empty();
        },
        Duration.ofMinutes(10),
        Duration.ofMinutes(1),
        100,
        clock);
  }

  @Test
  void foundIdsAreCachedForTheTtl() {
    CachingOrganizationResolver r = resolver();
    assertThat(r.resolveExternalId("known-1")).contains("org_known-1");
    assertThat(r.resolveExternalId("known-1")).contains("org_known-1");
    assertThat(lookups).hasValue(1);
    clock.advance(Duration.ofMinutes(10));
    assertThat(r.resolveExternalId("known-1")).contains("org_known-1");
    assertThat(lookups).hasValue(2);
  }

  @Test
  void unknownIdsAreCachedForTheNegativeTtl() {
    CachingOrganizationResolver r = resolver();
    assertThat(r.resolveExternalId("nobody")).isEmpty();
    clock.advance(Duration.ofSeconds(59));
    assertThat(r.resolveExternalId("nobody")).isEmpty();
    assertThat(lookups).hasValue(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(r.resolveExternalId("nobody")).isEmpty();
    assertThat(lookups).hasValue(2);
  }

  @Test
  void failuresAreThrownAndNotCached() {
    CachingOrganizationResolver r = resolver();
    assertThatThrownBy(() -> r.resolveExternalId("boom")).isInstanceOf(WorkOsApiException.class);
    assertThatThrownBy(() -> r.resolveExternalId("boom")).isInstanceOf(WorkOsApiException.class);
    assertThat(lookups).hasValue(2);
    assertThat(r.size()).isZero();
  }
}
