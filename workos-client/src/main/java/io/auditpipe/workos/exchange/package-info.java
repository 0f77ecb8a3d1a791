/**
 * The one exchange engine under every WorkOS call: rate budget, retries, {@code Retry-After},
 * classification of answers and failures, redaction and the listener.
 */
package io.auditpipe.workos.exchange;
