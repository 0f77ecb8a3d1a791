package io.auditpipe.emulator.http;

import io.auditpipe.emulator.state.EventStore;
import io.auditpipe.emulator.state.OrganizationDirectory;
import io.auditpipe.emulator.state.StoredEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The read-only page at {@code /}: the 50 most recent events of each organization. */
final class HomePage {

  private static final int RECENT = 50;

  private HomePage() {}

  static String render(OrganizationDirectory organizations, EventStore store) {
    StringBuilder b = new StringBuilder(4096);
    b.append("<!doctype html><html><head><meta charset=\"utf-8\">")
        .append("<title>auditpipe WorkOS emulator</title><style>")
        .append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:90%}")
        .append("</style></head><body><h1>auditpipe WorkOS Audit Logs emulator</h1>")
        .append("<p>")
        .append(store.count())
        .append(" events stored. JSON: <a href=\"/_emulator/events\">/_emulator/events</a>,")
        .append(" <a href=\"/_emulator/counters\">/_emulator/counters</a>.</p>");
    Set<String> ids = new LinkedHashSet<>();
    organizations.all().forEach(o -> ids.add(o.id()));
    ids.addAll(store.organizationIds());
    for (String id : ids) {
      List<StoredEvent> events = store.events(id);
      String title =
          organizations
              .byId(id)
              .map(
                  o ->
                      o.name() + " (" + o.id() + o.externalId().map(e -> ", " + e).orElse("") + ")")
              .orElse(id);
      b.append("<h2>").append(escape(title)).append("</h2><p>").append(events.size());
      b.append(" events</p><table><tr><th>occurred_at</th><th>action</th><th>actor</th>");
      b.append("<th>targets</th><th>location</th></tr>");
      for (int i = events.size() - 1; i >= Math.max(0, events.size() - RECENT); i--) {
        var e = events.get(i).event();
        StringBuilder targets = new StringBuilder();
        e.targets().forEach(t -> targets.append(t.type()).append(':').append(t.id()).append(' '));
        b.append("<tr><td>")
            .append(escape(e.occurredAt().toString()))
            .append("</td><td>")
            .append(escape(e.action()))
            .append("</td><td>")
            .append(escape(e.actor().type() + ":" + e.actor().id()))
            .append("</td><td>")
            .append(escape(targets.toString().trim()))
            .append("</td><td>")
            .append(escape(e.context().location()))
            .append("</td></tr>");
      }
      b.append("</table>");
    }
    return b.append("</body></html>").toString();
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
