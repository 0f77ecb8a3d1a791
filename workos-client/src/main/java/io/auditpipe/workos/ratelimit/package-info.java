/** Client-side pacing: a token bucket at this client's share of the key's budget, with AIMD. */
package io.auditpipe.workos.ratelimit;
