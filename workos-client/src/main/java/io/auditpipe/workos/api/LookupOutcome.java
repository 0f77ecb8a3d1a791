package io.auditpipe.workos.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** How one organization lookup by external id ended. Never carries the API key. */
public sealed interface LookupOutcome
    permits LookupOutcome.Found,
        LookupOutcome.Refused,
        LookupOutcome.Unavailable,
        LookupOutcome.Misconfigured {

  /** WorkOS knows the organization. */
  record Found(String organizationId) implements LookupOutcome {
    public Found {
      Objects.requireNonNull(organizationId, "organizationId");
    }
  }

  /**
   * WorkOS answered a 4xx that retrying cannot change and that is about this external id: 404
   * "organization not found", or 400/422 for an id it will not take. The records that need it are
   * at fault, not the connection.
   */
  record Refused(int status, Optional<String> code, String message, Optional<String> requestId)
      implements LookupOutcome {
    public Refused {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(requestId, "requestId");
    }
  }

  /**
   * Every attempt failed with a retryable cause (408, 429, 5xx, I/O error, timeout), or the lookup
   * was closed: try again later.
   */
  record Unavailable(String lastCause, OptionalInt lastStatus) implements LookupOutcome {
    public Unavailable {
      Objects.requireNonNull(lastCause, "lastCause");
      Objects.requireNonNull(lastStatus, "lastStatus");
    }
  }

  /** 401/403 (the API key) or a 404 that is not "organization not found" (the base URL). */
  record Misconfigured(int status, String message, Optional<String> requestId)
      implements LookupOutcome {
    public Misconfigured {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(requestId, "requestId");
    }
  }
}
