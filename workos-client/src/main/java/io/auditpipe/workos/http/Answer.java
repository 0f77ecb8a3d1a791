package io.auditpipe.workos.http;

import java.util.Optional;

/**
 * One HTTP answer as the engine needs it.
 *
 * @param status the HTTP status
 * @param requestId WorkOS's {@code X-Request-Id}, when sent
 * @param retryAfter the raw {@code Retry-After} header, when sent
 * @param body the body (empty for a success the caller does not read)
 */
// An HTTP answer handed to its caller; never compared or hashed.
@SuppressWarnings("ArrayRecordComponent")
public record Answer(
    int status, Optional<String> requestId, Optional<String> retryAfter, byte[] body) {

  /** Whether the status is 2xx. */
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
