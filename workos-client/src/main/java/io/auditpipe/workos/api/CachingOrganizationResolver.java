package io.auditpipe.workos.api;

import io.auditpipe.core.rules.OrganizationResolver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Resolves external ids through {@code GET /organizations/external_id/{id}} with a cache: found
 * organizations are kept for {@code ttl}, unknown external ids for {@code negativeTtl} (so a stream
 * of records for an unknown tenant costs one request per {@code negativeTtl}, not one per record).
 * Concurrent lookups of one id share a single request. At most {@code maxEntries} ids are kept;
 * when full, expired entries are dropped first and then the whole cache.
 *
 * <p>A lookup that fails (I/O error, 5xx after retries, 401) is not cached and throws {@link
 * WorkOsApiException}: mapping the record as "no organization" would be wrong.
 */
public final class CachingOrganizationResolver implements OrganizationResolver {

  private final Function<String, Optional<String>> lookup;
  private final Duration ttl;
  private final Duration negativeTtl;
  private final int maxEntries;
  private final Clock clock;
  private final ConcurrentHashMap<String, CompletableFuture<Entry>> cache =
      new ConcurrentHashMap<>();

  private record Entry(Optional<String> organizationId, Instant expires) {}

  /** A resolver over the API client with 10 min / 1 min TTLs and 10,000 entries. */
  public static CachingOrganizationResolver of(WorkOsApiClient api) {
    return new CachingOrganizationResolver(
        id -> api.organizationByExternalId(id).map(Organization::id),
        Duration.ofMinutes(10),
        Duration.ofMinutes(1),
        10_000,
        Clock.systemUTC());
  }

  /**
   * @param lookup the uncached lookup: the organization id, or empty when none has the external id
   */
  public CachingOrganizationResolver(
      Function<String, Optional<String>> lookup,
      Duration ttl,
      Duration negativeTtl,
      int maxEntries,
      Clock clock) {
    this.lookup = Objects.requireNonNull(lookup, "lookup");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.negativeTtl = Objects.requireNonNull(negativeTtl, "negativeTtl");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries: expected at least 1, found " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Optional<String> resolveExternalId(String externalId) {
    Objects.requireNonNull(externalId, "externalId");
    while (true) {
      CompletableFuture<Entry> cached = cache.get(externalId);
      if (cached != null) {
        Entry e = await(cached);
        if (e == null) {
          continue; // the lookup we waited for failed and was removed; try our own
        }
        if (clock.instant().isBefore(e.expires())) {
          return e.organizationId();
        }
        cache.remove(externalId, cached);
        continue;
      }
      CompletableFuture<Entry> mine = new CompletableFuture<>();
      if (cache.putIfAbsent(externalId, mine) != null) {
        continue;
      }
      evictIfFull();
      try {
        Optional<String> id = lookup.apply(externalId);
        Entry e = new Entry(id, clock.instant().plus(id.isPresent() ? ttl : negativeTtl));
        mine.complete(e);
        return id;
      } catch (RuntimeException failure) {
        cache.remove(externalId, mine);
        mine.complete(null);
        throw failure;
      }
    }
  }

  /** How many external ids are cached (found or not). */
  public int size() {
    return cache.size();
  }

  /** Forgets everything. */
  public void clear() {
    cache.clear();
  }

  private void evictIfFull() {
    if (cache.size() <= maxEntries) {
      return;
    }
    Instant now = clock.instant();
    cache
        .entrySet()
        .removeIf(
            en -> {
              Entry e = en.getValue().getNow(null);
              return e != null && !now.isBefore(e.expires());
            });
    if (cache.size() > maxEntries) {
      cache.clear();
    }
  }

  private static Entry await(CompletableFuture<Entry> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted resolving an external id", e);
    } catch (ExecutionException e) {
      return null;
    }
  }
}
