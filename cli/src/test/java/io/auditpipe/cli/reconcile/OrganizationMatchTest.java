package io.auditpipe.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditpipe.core.model.Actor;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.Context;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import io.auditpipe.core.rules.MappedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OrganizationMatchTest {

  private static final String CSV_HEADER =
      "id,occurred_at,action,version,actor_id,actor_type,actor_name,actor_metadata,targets,location,user_agent,metadata\r\n";

  @Test
  void identicalEventsAreMatchedAsAMultiset() {
    OrganizationMatch match = new OrganizationMatch("org_1");
    for (long offset = 0; offset < 3; offset++) {
      match.expect(ExpectedEvent.of("t", 0, offset, mapped("u1")));
    }
    String row =
        "ev_%d,2026-12-07T01:00:00.000Z,thing.done,,u1,user,,{},\"[{\"\"id\"\":\"\"t1\"\",\"\"type\"\":\"\"thing\"\"}]\",192.0.2.1,,\"{\"\"n\"\":1,\"\"a\"\":\"\"x,y\"\"}\"\r\n";

    ExportCsvReader.read(CSV_HEADER + row.formatted(1) + row.formatted(2), "e", match::exported);

    assertThat(match.found()).isEqualTo(2);
    assertThat(match.unexpected()).isEmpty();
    assertThat(match.missing()).extracting(ExpectedEvent::offset).containsExactly(2L);
  }

  @Test
  void aRowDifferingInAnyComparedFieldIsUnexpected() {
    OrganizationMatch match = new OrganizationMatch("org_1");
    match.expect(ExpectedEvent.of("t", 0, 7, mapped("u1")));
    List<ExportRow> rows = new ArrayList<>();
    String otherActor =
        "ev_1,2026-12-07T01:00:00.000Z,thing.done,,u2,user,,{},\"[{\"\"id\"\":\"\"t1\"\",\"\"type\"\":\"\"thing\"\"}]\",192.0.2.1,,\"{\"\"a\"\":\"\"x,y\"\",\"\"n\"\":1}\"\r\n";

    ExportCsvReader.read(CSV_HEADER + otherActor, "e", rows::add);
    rows.forEach(match::exported);

    assertThat(match.unexpected()).extracting(ExportRow::id).containsExactly("ev_1");
    assertThat(match.missing()).extracting(ExpectedEvent::offset).containsExactly(7L);
    assertThat(match.window())
        .contains(
            new OrganizationMatch.Window(
                Instant.parse("2026-12-07T01:00:00Z"), Instant.parse("2026-12-07T01:00:00.001Z")));
  }

  @Test
  void anExportWithoutAComparedColumnIsRefused() {
    assertThatThrownBy(() -> ExportCsvReader.read("id,action\r\nx,y\r\n", "exp_1", r -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("export exp_1: expected a column \"occurred_at\"");
  }

  private static MappedEvent mapped(String actor) {
    return new MappedEvent(
        new AuditEvent(
            "org_1",
            "thing.done",
            Instant.parse("2026-12-07T01:00:00Z"),
            OptionalInt.empty(),
            new Actor(actor, "user", Optional.empty(), Metadata.empty()),
            List.of(new Target("t1", "thing", Optional.empty(), Metadata.empty())),
            new Context("192.0.2.1", Optional.empty()),
            Metadata.of(
                Map.of(
                    "n",
                    new MetadataValue.LongValue(1),
                    "a",
                    new MetadataValue.StringValue("x,y")))),
        "ap1-key",
        "thing-done");
  }
}
