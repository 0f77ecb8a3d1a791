package io.auditpipe.workos.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * An export ({@code "object":"audit_log_export"}).
 *
 * @param id the export id
 * @param state {@code pending}, {@code ready}, {@code error} or {@code expired}
 * @param url the CSV's download link once ready; it expires after 10 minutes (get the export again
 *     for a fresh one)
 * @param json the whole object as WorkOS returned it
 */
public record AuditLogExport(String id, String state, Optional<URI> url, JsonNode json) {

  /** Whether the CSV can be downloaded. */
  public boolean ready() {
    return state.toLowerCase(Locale.ROOT).equals("ready") && url.isPresent();
  }

  /** Whether the export ended without a CSV ({@code error} or {@code expired}). */
  public boolean failed() {
    String s = state.toLowerCase(Locale.ROOT);
    return s.equals("error") || s.equals("expired");
  }
}
