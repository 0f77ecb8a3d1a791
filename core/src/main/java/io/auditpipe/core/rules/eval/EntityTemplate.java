package io.auditpipe.core.rules.eval;

import io.auditpipe.core.model.Actor;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.Target;
import java.util.Optional;

/** How to build an actor or a target: id, type, optional name, metadata. */
public record EntityTemplate(
    TextField id, TextField type, Optional<TextField> name, MetadataFields metadata) {

  /** The actor, or {@code null} after recording failures. */
  public Actor actor(Scope scope) {
    int before = scope.failureCount();
    String i = id.eval(scope);
    String t = type.eval(scope);
    Optional<String> n =
        name.isPresent() ? Optional.ofNullable(name.get().eval(scope)) : Optional.empty();
    Metadata md = metadata.eval(scope);
    return scope.failureCount() > before ? null : new Actor(i, t, n, md);
  }

  /** A target, or {@code null} after recording failures. */
  public Target target(Scope scope) {
    int before = scope.failureCount();
    String i = id.eval(scope);
    String t = type.eval(scope);
    Optional<String> n =
        name.isPresent() ? Optional.ofNullable(name.get().eval(scope)) : Optional.empty();
    Metadata md = metadata.eval(scope);
    return scope.failureCount() > before ? null : new Target(i, t, n, md);
  }
}
