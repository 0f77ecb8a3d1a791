package io.auditpipe.bench.delivery;

import io.auditpipe.core.model.Actor;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.model.Context;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The event every delivery benchmark variant sends: a realistic sign-in-sized event (actor with a
 * name and metadata, two targets, context with a user agent, five metadata fields), ~600 bytes of
 * JSON. The same body goes to {@code wrk}.
 */
final class ReferenceEvent {

  static final String ORGANIZATION = "org_01EHWNCE74X7JSDV0X3SZ3KJNY";
  static final Instant OCCURRED_AT = Instant.parse("2026-11-23T10:15:30.123Z");

  private ReferenceEvent() {}

  static AuditEvent event() {
    Map<String, MetadataValue> md = new LinkedHashMap<>();
    md.put("plan", MetadataValue.of("enterprise"));
    md.put("seats", MetadataValue.of(250));
    md.put("amount", MetadataValue.of(1299.5));
    md.put("trial", MetadataValue.of(false));
    md.put("region", MetadataValue.of("eu-west-1"));
    return new AuditEvent(
        ORGANIZATION,
        "order.completed",
        OCCURRED_AT,
        OptionalInt.empty(),
        new Actor(
            "user_01GBNJC3MX9ZZJW1FSTF4C5938",
            "user",
            Optional.of("Jon Smith"),
            Metadata.of(Map.of("role", MetadataValue.of("admin")))),
        List.of(
            new Target("order_8842", "order", Optional.of("Order 8842"), Metadata.empty()),
            new Target("team_01GBTCQ2", "team", Optional.of("Core"), Metadata.empty())),
        new Context("203.0.113.42", Optional.of("Mozilla/5.0 (X11; Linux x86_64) Chrome/129.0")),
        Metadata.of(md));
  }

  static byte[] body() {
    return AuditEventJson.toRequestBody(event());
  }
}
