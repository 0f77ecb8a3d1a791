/** Time sources the client waits with, replaceable in tests so no test sleeps. */
package io.auditpipe.workos.time;
