/** The legacy Audit Trail format ({@code POST /events}) an event can be delivered in instead. */
package io.auditpipe.workos.trail;
