package io.auditpipe.core.model;

import java.util.Objects;
import java.util.Optional;

/** Who performed the action: WorkOS requires {@code id} and {@code type}. */
public record Actor(String id, String type, Optional<String> name, Metadata metadata) {

  public Actor {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(metadata, "metadata");
  }

  public Actor(String id, String type) {
    this(id, type, Optional.empty(), Metadata.empty());
  }
}
