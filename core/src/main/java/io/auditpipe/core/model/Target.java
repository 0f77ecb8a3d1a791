package io.auditpipe.core.model;

import java.util.Objects;
import java.util.Optional;

/** What the action was performed on: WorkOS requires {@code id} and {@code type}. */
public record Target(String id, String type, Optional<String> name, Metadata metadata) {

  public Target {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(metadata, "metadata");
  }

  public Target(String id, String type) {
    this(id, type, Optional.empty(), Metadata.empty());
  }
}
