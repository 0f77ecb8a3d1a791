package io.auditpipe.workos.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.workos.FinalAnswers;
import io.auditpipe.workos.exchange.ExchangeResult;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * {@link OrganizationLookup} on a {@link WorkOsApiClient}'s exchange engine: asynchronous, paced by
 * the engine's rate budget (the delivery budget when the client is {@code AuditLogClient.api()}),
 * retried by the engine, and sorted by {@link FinalAnswers}. Not cached: wrap it in a {@link
 * CachingOrganizationLookup}.
 */
public final class ApiOrganizationLookup implements OrganizationLookup {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final WorkOsApiClient api;

  /**
   * @param api the client whose engine the lookups run on
   */
  public ApiOrganizationLookup(WorkOsApiClient api) {
    this.api = Objects.requireNonNull(api, "api");
  }

  @Override
  public CompletableFuture<LookupOutcome> byExternalId(String externalId) {
    Objects.requireNonNull(externalId, "externalId");
    if (externalId.isEmpty()) {
      throw new IllegalArgumentException("externalId: expected at least one character");
    }
    return api.organizationByExternalIdAsync(externalId).thenApply(ApiOrganizationLookup::outcome);
  }

  @Override
  public void close() {
    api.close();
  }

  private static LookupOutcome outcome(ExchangeResult r) {
    if (r instanceof ExchangeResult.Success s) {
      return found(s);
    }
    if (r instanceof ExchangeResult.Refused f) {
      return FinalAnswers.isConfigurationFault(f.status(), f.error())
          ? new LookupOutcome.Misconfigured(f.status(), f.error().message(), f.requestId())
          : new LookupOutcome.Refused(
              f.status(), f.error().code(), f.error().message(), f.requestId());
    }
    if (r instanceof ExchangeResult.Misconfigured m) {
      // The proxy or TLS settings (status 0: no answer of WorkOS's); the reason names the key.
      return new LookupOutcome.Misconfigured(0, m.reason(), Optional.empty());
    }
    ExchangeResult.Failed x = (ExchangeResult.Failed) r;
    return new LookupOutcome.Unavailable(x.cause(), x.lastStatus());
  }

  private static LookupOutcome found(ExchangeResult.Success s) {
    try {
      JsonNode n = MAPPER.readTree(s.body());
      JsonNode id = n == null ? null : n.get("id");
      if (id != null && id.isTextual() && !id.textValue().isEmpty()) {
        return new LookupOutcome.Found(id.textValue());
      }
    } catch (IOException notJson) {
      // reported below
    }
    // A success without an organization is not this id's fault: something between us and
    // WorkOS answered; try again later.
    return new LookupOutcome.Unavailable(
        "expected an organization with an \"id\", found another answer (HTTP "
            + s.status()
            + s.requestId().map(id -> ", request id " + id).orElse("")
            + ")",
        OptionalInt.of(s.status()));
  }
}
