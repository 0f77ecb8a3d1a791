package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.auditpipe.core.rules.OrganizationResolver;
import java.util.Optional;

/**
 * A WorkOS organization id found by the tenant's external id through an {@link
 * OrganizationResolver} (which caches). An exception of the resolver is an infrastructure failure,
 * not a bad record, and propagates to the caller. {@linkplain #atDelivery At delivery}, the value
 * is the external id itself, for the deliverer to resolve.
 */
public final class ExternalIdValue implements Value {

  private final Value externalId;
  private final OrganizationResolver resolver;

  public ExternalIdValue(Value externalId, OrganizationResolver resolver) {
    this.externalId = externalId;
    this.resolver = resolver;
  }

  /** The external id's text, left for the deliverer to resolve ({@code organization_id} only). */
  public static ExternalIdValue atDelivery(Value externalId) {
    return new ExternalIdValue(externalId, OrganizationResolver.atDelivery());
  }

  /** Whether this value is the external id to resolve at delivery. */
  public boolean resolvedAtDelivery() {
    return resolver == OrganizationResolver.atDelivery();
  }

  @Override
  public JsonNode eval(Scope scope) {
    JsonNode node = externalId.eval(scope);
    if (node == null || Scope.failed(node)) {
      return node;
    }
    String text = Nodes.text(scope, node);
    if (text == null) {
      return Scope.FAILED;
    }
    if (resolvedAtDelivery()) {
      if (text.isEmpty()) {
        // No request can name it: GET /organizations/external_id/ is another route.
        scope.fail("expected a non-empty external id to look the organization up by, found \"\"");
        return Scope.FAILED;
      }
      return TextNode.valueOf(text);
    }
    Optional<String> org = resolver.resolveExternalId(text);
    return org.isPresent()
        ? TextNode.valueOf(org.get())
        : scope.missing("no WorkOS organization has the external id");
  }
}
