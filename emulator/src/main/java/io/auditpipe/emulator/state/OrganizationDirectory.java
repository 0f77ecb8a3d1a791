package io.auditpipe.emulator.state;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/** The organizations the emulator knows, and each one's audit-log retention. Thread-safe. */
public final class OrganizationDirectory {

  private final Clock clock;
  private final List<Organization> seeded;
  private final Map<String, Organization> byId = new ConcurrentHashMap<>();
  private final Map<String, Organization> byExternalId = new ConcurrentHashMap<>();
  private final Map<String, Integer> retentionDays = new ConcurrentHashMap<>();

  public OrganizationDirectory(Clock clock, List<Organization> seeded) {
    this.clock = clock;
    this.seeded = List.copyOf(seeded);
    reset();
  }

  /**
   * Adds (or replaces) an organization.
   *
   * @throws IllegalArgumentException when another organization has this external id, as WorkOS
   *     refuses it
   */
  public synchronized Organization add(String id, String name, Optional<String> externalId) {
    Optional<Organization> holder = externalId.map(byExternalId::get);
    if (holder.isPresent() && !holder.get().id().equals(id)) {
      throw new IllegalArgumentException(
          "external_id: '"
              + externalId.get()
              + "' already belongs to organization "
              + holder.get().id());
    }
    Organization org = new Organization(id, name, externalId, clock.instant());
    Organization previous = byId.put(id, org);
    if (previous != null) {
      previous.externalId().ifPresent(byExternalId::remove);
    }
    externalId.ifPresent(e -> byExternalId.put(e, org));
    return org;
  }

  public Optional<Organization> byId(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public boolean exists(String id) {
    return byId.containsKey(id);
  }

  public Optional<Organization> byExternalId(String externalId) {
    return Optional.ofNullable(byExternalId.get(externalId));
  }

  public List<Organization> all() {
    List<Organization> out = new ArrayList<>(byId.values());
    out.sort(Comparator.comparing(Organization::id));
    return out;
  }

  public OptionalInt retentionDays(String organizationId) {
    Integer days = retentionDays.get(organizationId);
    return days == null ? OptionalInt.empty() : OptionalInt.of(days);
  }

  public void retentionDays(String organizationId, int days) {
    retentionDays.put(organizationId, days);
  }

  /** Back to the seeded organizations, with no retention set. */
  public synchronized void reset() {
    byId.clear();
    byExternalId.clear();
    retentionDays.clear();
    for (Organization org : seeded) {
      byId.put(org.id(), org);
      org.externalId()
          .ifPresent(
              e -> {
                Organization other = byExternalId.put(e, org);
                if (other != null && !other.id().equals(org.id())) {
                  throw new IllegalArgumentException(
                      "external_id: '" + e + "' given to both " + other.id() + " and " + org.id());
                }
              });
    }
  }
}
