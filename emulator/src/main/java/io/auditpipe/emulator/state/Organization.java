package io.auditpipe.emulator.state;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** An organization the emulator knows; events for any other organization are refused with 404. */
public record Organization(String id, String name, Optional<String> externalId, Instant createdAt) {

  public Organization {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
