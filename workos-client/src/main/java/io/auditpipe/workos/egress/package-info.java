/** How the WorkOS calls leave the network: an HTTP proxy, TLS trust and client certificates. */
package io.auditpipe.workos.egress;
