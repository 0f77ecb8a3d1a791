package io.auditpipe.workos;

import io.auditpipe.core.model.Actor;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.Context;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Events for tests. */
public final class TestEvents {

  public static final String ORG = "org_01EHWNCE74X7JSDV0X3SZ3KJNY";
  public static final String API_KEY = "sk_test_workos_client_0123456789";

  private TestEvents() {}

  public static AuditEvent event(String organizationId, String action) {
    return new AuditEvent(
        organizationId,
        action,
        Instant.parse("2026-11-23T10:15:30.123Z"),
        OptionalInt.empty(),
        new Actor("user_1", "user", Optional.of("Jon"), Metadata.empty()),
        List.of(new Target("team_1", "team", Optional.of("Core"), Metadata.empty())),
        new Context("203.0.113.7", Optional.of("Chrome/129")),
        Metadata.of(Map.of("plan", MetadataValue.of("enterprise"))));
  }

  public static AuditEvent event() {
    return event(ORG, "user.signed_in");
  }
}
