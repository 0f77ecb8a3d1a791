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
    ReadPlan.Rows rows = scope.rows(forEach.get());
    if (rows != null) {
      addRowsTo(scope, rows, out);
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
        add(scope, i, before, out);
      }
    } finally {
      scope.current(saved);
    }
  }

  /** The same, over the elements a {@link ReadPlan} read as rows. */
  private void addRowsTo(Scope scope, ReadPlan.Rows rows, List<Target> out) {
    try {
      for (int i = 0; i < rows.rows().length; i++) {
        scope.row(rows.rows()[i]);
        add(scope, i, scope.failureCount(), out);
      }
    } finally {
      scope.row(null);
    }
  }

  private void add(Scope scope, int element, int failuresBefore, List<Target> out) {
    Target t = entity.target(scope);
    if (t != null) {
      out.add(t);
    } else {
      scope.annotateSince(failuresBefore, " (for_each element " + element + ")");
    }
  }
}
