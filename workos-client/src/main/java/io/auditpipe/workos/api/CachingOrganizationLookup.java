package io.auditpipe.workos.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caches an {@link OrganizationLookup}: found organizations for {@code ttl}, refused external ids
 * (unknown, or not acceptable to WorkOS) for {@code negativeTtl}, so a stream of records for one
 * bad tenant costs one request per {@code negativeTtl}. Concurrent lookups of one id share one
 * request. Unavailable and misconfigured answers are not kept: the next lookup asks again. At most
 * {@code maxEntries} ids are kept; when full, expired entries go first and then the whole cache.
 */
public final class CachingOrganizationLookup implements OrganizationLookup {

  private final OrganizationLookup lookup;
  private final Duration ttl;
  private final Duration negativeTtl;
  private final int maxEntries;
  private final Clock clock;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

  /** A cached lookup, or one in progress (expires {@link Instant#MAX} until it completes). */
  private record Entry(CompletableFuture<LookupOutcome> outcome, Instant expires) {}

  /** The cache the connector uses: 10 min for found organizations, 1 min for refused ids. */
  public static CachingOrganizationLookup of(OrganizationLookup lookup) {
    return new CachingOrganizationLookup(
        lookup, Duration.ofMinutes(10), Duration.ofMinutes(1), 10_000, Clock.systemUTC());
  }

  public CachingOrganizationLookup(
      OrganizationLookup lookup, Duration ttl, Duration negativeTtl, int maxEntries, Clock clock) {
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
  public CompletableFuture<LookupOutcome> byExternalId(String externalId) {
    Objects.requireNonNull(externalId, "externalId");
    Instant now = clock.instant();
    Entry cached = cache.get(externalId);
    if (cached != null && now.isBefore(cached.expires())) {
      return cached.outcome();
    }
    CompletableFuture<LookupOutcome> mine = new CompletableFuture<>();
    Entry entry = new Entry(mine, Instant.MAX);
    Entry won =
        cache.compute(
            externalId, (id, old) -> old != null && now.isBefore(old.expires()) ? old : entry);
    if (won.outcome() != mine) {
      return won.outcome();
    }
    evictIfFull(now);
    var unused =
        lookup
            .byExternalId(externalId)
            .whenComplete(
                (outcome, error) -> {
                  LookupOutcome o =
                      error == null
                          ? outcome
                          : new LookupOutcome.Unavailable(
                              error.getClass().getSimpleName(), java.util.OptionalInt.empty());
                  Duration keep =
                      o instanceof LookupOutcome.Found
                          ? ttl
                          : o instanceof LookupOutcome.Refused ? negativeTtl : null;
                  if (keep == null) {
                    cache.remove(externalId, entry);
                  } else {
                    cache.replace(externalId, entry, new Entry(mine, clock.instant().plus(keep)));
                  }
                  mine.complete(o);
                });
    return mine;
  }

  /** How many external ids are cached or being looked up. */
  public int size() {
    return cache.size();
  }

  @Override
  public void close() {
    lookup.close();
  }

  private void evictIfFull(Instant now) {
    if (cache.size() <= maxEntries) {
      return;
    }
    cache.values().removeIf(e -> e.outcome().isDone() && !now.isBefore(e.expires()));
    if (cache.size() > maxEntries) {
      cache.values().removeIf(e -> e.outcome().isDone());
    }
  }
}
