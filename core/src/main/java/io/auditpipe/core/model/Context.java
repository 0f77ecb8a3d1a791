package io.auditpipe.core.model;

import java.util.Objects;
import java.util.Optional;

/** Where the action came from: WorkOS requires {@code location} (an IP address or place). */
public record Context(String location, Optional<String> userAgent) {

  public Context {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(userAgent, "userAgent");
  }

  public Context(String location) {
    this(location, Optional.empty());
  }
}
