/** The HTTP layer shared by every WorkOS call: requests, base URL policy, error bodies. */
package io.auditpipe.workos.http;
