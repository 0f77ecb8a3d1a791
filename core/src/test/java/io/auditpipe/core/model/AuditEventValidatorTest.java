package io.auditpipe.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AuditEventValidatorTest {

  private final AuditEventValidator validator = AuditEventValidator.instance();

  @Test
  void aCompleteEventHasNoViolations() {
    assertThat(validator.validate(AuditEventJsonTest.fullEvent())).isEmpty();
  }

  @Test
  void blankRequiredFieldsAreReportedAllAtOnce() {
    AuditEvent event =
        new AuditEvent(
            " ",
            "",
            Instant.EPOCH,
            OptionalInt.of(0),
            new Actor("", ""),
            List.of(new Target("", "team")),
            new Context(""),
            Metadata.empty());

    assertThat(validator.validate(event))
        .extracting(Violation::field, Violation::code)
        .containsExactly(
            tuple("organization_id", "required"),
            tuple("event.action", "required"),
            tuple("event.version", "invalid_value"),
            tuple("event.actor.id", "required"),
            tuple("event.actor.type", "required"),
            tuple("event.targets[0].id", "required"),
            tuple("event.context.location", "required"));
  }

  @Test
  void metadataLimitsApplyToEventActorAndEveryTarget() {
    Map<String, MetadataValue> tooMany = new LinkedHashMap<>();
    for (int i = 0; i < 51; i++) {
      tooMany.put("k" + i, MetadataValue.of(i));
    }
    Metadata badKeys =
        Metadata.of(
            Map.of("has space", MetadataValue.of("x"), "k".repeat(41), MetadataValue.of("x")));
    Metadata longValue = Metadata.of(Map.of("note", MetadataValue.of("x".repeat(501))));
    Metadata okValue =
        Metadata.of(
            Map.of("note", MetadataValue.of("x".repeat(500)), "a-b_C9", MetadataValue.of(true)));
    Metadata nan = Metadata.of(Map.of("n", MetadataValue.of(Double.NaN)));

    AuditEvent event =
        new AuditEvent(
            "org_1",
            "a",
            Instant.EPOCH,
            OptionalInt.empty(),
            new Actor("u", "user", Optional.empty(), badKeys),
            List.of(
                new Target("t0", "team", Optional.empty(), okValue),
                new Target("t1", "team", Optional.empty(), longValue),
                new Target("t2", "team", Optional.empty(), nan)),
            new Context("1.1.1.1"),
            Metadata.of(tooMany));

    assertThat(validator.validate(event))
        .extracting(Violation::field, Violation::code)
        .containsExactlyInAnyOrder(
            tuple("event.actor.metadata.has space", "invalid_key"),
            tuple("event.actor.metadata." + "k".repeat(41), "invalid_key"),
            tuple("event.targets[1].metadata.note", "too_long"),
            tuple("event.targets[2].metadata.n", "invalid_value"),
            tuple("event.metadata", "too_many_keys"));
  }

  @Test
  void messagesSayWhatWasExpectedAndFoundWithoutEchoingTheValue() {
    Metadata longValue = Metadata.of(Map.of("secret", MetadataValue.of("s3cr3t".repeat(100))));
    AuditEvent event =
        new AuditEvent(
            "org_1",
            "a",
            Instant.EPOCH,
            OptionalInt.empty(),
            new Actor("u", "user"),
            List.of(),
            new Context("1.1.1.1"),
            longValue);

    List<Violation> violations = validator.validate(event);

    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).message())
        .isEqualTo("expected a string of at most 500 characters, found 600")
        .doesNotContain("s3cr3t");
  }
}
