/** Which answers are retried, and how long to wait: backoff with full jitter, Retry-After. */
package io.auditpipe.workos.retry;
