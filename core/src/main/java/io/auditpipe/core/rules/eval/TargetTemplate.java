package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.model.Target;
import java.util.List;
import java.util.Optional;

/**
 * One entry of {@code targets}: a single target, or one target per element of an array ({@code
 * for_each}), with paths inside it relative to the element.
 */
public record TargetTemplate(
    String rule,
    String location,
    EntityTemplate entity,
    Optional<RootPath> forEach,
    boolean forEachOptional) {

  /** Adds this entry's targets to {@code out}; failures go to {@code scope}. */
  public void addTo(Scope scope, List<Target> out) {
    if (forEach.isEmpty()) {
      Target t = entity.target(scope);
      if (t != null) {
        out.add(t);
      }
      return;
    }
    JsonNode array = forEach.get().resolve(scope);
    if (Scope.failed(array)) {
      return;
    }
    if (array == null || array.isNull() || array.isMissingNode()) {
      if (!forEachOptional) {
        scope.at(rule, location);
        scope.fail("for_each path \"" + forEach.get() + "\" not found");
      }
      return;
    }
    if (!array.isArray()) {
      scope.at(rule, location);
      scope.fail(
          "for_each path \""
              + forEach.get()
              + "\": expected an array, found "
              + AuditEventJson.kind(array));
      return;
    }
    JsonNode saved = scope.current();
    try {
      for (int i = 0; i < array.size(); i++) {
        scope.current(array.get(i));
        int before = scope.failureCount();
        Target t = entity.target(scope);
        if (t != null) {
          out.add(t);
        } else {
          scope.annotateSince(before, " (for_each element " + i + ")");
        }
      }
    } finally {
      scope.current(saved);
    }
  }
}
