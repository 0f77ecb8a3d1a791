package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.auditpipe.core.rules.OrganizationResolver;
import java.util.Optional;

/**
 * A WorkOS organization id found by the tenant's external id through an {@link
 * OrganizationResolver} (which caches). An exception of the resolver is an infrastructure failure,
 * not a bad record, and propagates to the caller.
 */
public final class ExternalIdValue implements Value {

  private final Value externalId;
  private final OrganizationResolver resolver;

  public ExternalIdValue(Value externalId, OrganizationResolver resolver) {
    this.externalId = externalId;
    this.resolver = resolver;
  }

  @Override
  public JsonNode eval(Scope scope) {
    JsonNode node = externalId.eval(scope);
    if (node == null || node == Scope.FAILED) {
      return node;
    }
    String text = Nodes.text(scope, node);
    if (text == null) {
      return Scope.FAILED;
    }
    Optional<String> org = resolver.resolveExternalId(text);
    return org.isPresent()
        ? TextNode.valueOf(org.get())
        : scope.missing("no WorkOS organization has the external id");
  }
}
