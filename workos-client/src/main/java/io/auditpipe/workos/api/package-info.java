/**
 * WorkOS management calls (schemas, exports and their CSV, retention, organizations by external id)
 * and the cached {@link io.auditpipe.core.rules.OrganizationResolver} over them.
 */
package io.auditpipe.workos.api;
