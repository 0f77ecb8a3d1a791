package io.auditpipe.core.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.core.model.Actor;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventValidator;
import io.auditpipe.core.model.Context;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fast limits check never calls an event valid that the validator would reject. */
class EventLimitsTest {

  static Stream<AuditEvent> events() {
    Map<String, MetadataValue> many = new LinkedHashMap<>();
    for (int i = 0; i < 51; i++) {
      many.put("k" + i, MetadataValue.of(i));
    }
    Metadata tooLong = Metadata.of(Map.of("s", MetadataValue.of("x".repeat(501))));
    Metadata nan = Metadata.of(Map.of("d", MetadataValue.of(Double.NaN)));
    Metadata ok = Metadata.of(Map.of("s", MetadataValue.of("x".repeat(500))));
    return Stream.of(
        event(
            "org",
            "a",
            OptionalInt.empty(),
            new Actor("u", "user"),
            List.of(),
            "l",
            Metadata.empty()),
        event(
            "org",
            "a",
            OptionalInt.of(1),
            new Actor("u", "user"),
            List.of(new Target("t", "x")),
            "l",
            ok),
        event(
            " ",
            "a",
            OptionalInt.empty(),
            new Actor("u", "user"),
            List.of(),
            "l",
            Metadata.empty()),
        event(
            "org",
            "",
            OptionalInt.empty(),
            new Actor("u", "user"),
            List.of(),
            "l",
            Metadata.empty()),
        event(
            "org",
            "a",
            OptionalInt.of(0),
            new Actor("u", "user"),
            List.of(),
            "l",
            Metadata.empty()),
        event(
            "org",
            "a",
            OptionalInt.empty(),
            new Actor("", "user"),
            List.of(),
            "l",
            Metadata.empty()),
        event(
            "org", "a", OptionalInt.empty(), new Actor("u", " "), List.of(), "l", Metadata.empty()),
        event(
            "org",
            "a",
            OptionalInt.empty(),
            new Actor("u", "user"),
            List.of(new Target("", "x")),
            "l",
            Metadata.empty()),
        event(
            "org",
            "a",
            OptionalInt.empty(),
            new Actor("u", "user"),
            List.of(new Target("t", "")),
            "l",
            Metadata.empty()),
        event(
            "org",
            "a",
            OptionalInt.empty(),
            new Actor("u", "user"),
            List.of(),
            "",
            Metadata.empty()),
        event("org", "a", OptionalInt.empty(), new Actor("u", "user"), List.of(), "l", tooLong),
        event("org", "a", OptionalInt.empty(), new Actor("u", "user"), List.of(), "l", nan),
        event(
            "org",
            "a",
            OptionalInt.empty(),
            new Actor("u", "user"),
            List.of(),
            "l",
            Metadata.of(many)),
        event(
            "org",
            "a",
            OptionalInt.empty(),
            new Actor("u", "user", Optional.empty(), tooLong),
            List.of(),
            "l",
            Metadata.empty()),
        event(
            "org",
            "a",
            OptionalInt.empty(),
            new Actor("u", "user"),
            List.of(new Target("t", "x", Optional.empty(), nan)),
            "l",
            Metadata.empty()));
  }

  private static AuditEvent event(
      String org,
      String action,
      OptionalInt version,
      Actor actor,
      List<Target> targets,
      String location,
      Metadata md) {
    return new AuditEvent(
        org, action, Instant.EPOCH, version, actor, targets, new Context(location), md);
  }

  @ParameterizedTest
  @MethodSource("events")
  void agreesWithTheValidator(AuditEvent event) {
    boolean valid = AuditEventValidator.instance().validate(event).isEmpty();
    assertThat(EventLimits.certainlyValid(event)).isEqualTo(valid);
    assertThat(EventLimits.violations(event))
        .isEqualTo(AuditEventValidator.instance().validate(event));
  }
}
