package io.auditpipe.workos;

import io.auditpipe.workos.http.ErrorBody;
import java.util.Locale;
import java.util.Optional;

/**
 * Sorts WorkOS's final (not retryable) error answers into the request's fault and the
 * configuration's: 401 and 403 are the API key's; a 404 is the base URL's unless WorkOS says an
 * organization was not found (events for an unknown organization, lookups of an unknown external
 * id: {@code {"message":"Organization not found: 'org_…'."}}), because a wrong base path answers
 * 404 to every request. The one place that decides it, for events and lookups alike.
 */
public final class FinalAnswers {

  private FinalAnswers() {}

  /** Whether a final answer says the configuration, not the request, is wrong. */
  public static boolean isConfigurationFault(int status, ErrorBody body) {
    return switch (status) {
      case 401, 403 -> true;
      case 404 -> !isOrganizationNotFound(body);
      default -> false;
    };
  }

  /** Whether the answer is WorkOS's "organization not found" (for an event or a lookup). */
  public static boolean isOrganizationNotFound(ErrorBody body) {
    String message = body.message().toLowerCase(Locale.ROOT);
    return message.contains("organization") && message.contains("not found");
  }

  /** The outcome of an event WorkOS answered with a final error. */
  public static DeliveryOutcome outcome(
      int status, ErrorBody body, Optional<String> requestId, int attempts) {
    return isConfigurationFault(status, body)
        ? new DeliveryOutcome.Misconfigured(status, body.message(), requestId, attempts)
        : new DeliveryOutcome.Rejected(
            status, body.code(), body.message(), body.errors(), requestId, attempts);
  }
}
