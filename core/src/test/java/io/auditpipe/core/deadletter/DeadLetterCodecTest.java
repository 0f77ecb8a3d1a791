package io.auditpipe.core.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.core.avro.RecordCoordinates;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DeadLetterCodecTest {

  private static final RecordCoordinates SOURCE = new RecordCoordinates("orders", 3, 41L);

  @Test
  void writesEveryHeaderInReadingOrder() {
    DeadLetter rejected =
        new DeadLetter(
            FailureStage.DELIVER,
            "order-paid",
            "WorkOS rejected the event: Invalid Audit Log event",
            OptionalInt.of(400),
            Optional.of("invalid_audit_log"),
            Optional.of("req_1"));

    Map<String, String> headers = text(DeadLetterCodec.encode(rejected, SOURCE));

    assertThat(headers)
        .containsExactly(
            Map.entry(DeadLetterHeaders.STAGE, "deliver"),
            Map.entry(DeadLetterHeaders.RULE, "order-paid"),
            Map.entry(
                DeadLetterHeaders.REASON, "WorkOS rejected the event: Invalid Audit Log event"),
            Map.entry(DeadLetterHeaders.WORKOS_STATUS, "400"),
            Map.entry(DeadLetterHeaders.WORKOS_CODE, "invalid_audit_log"),
            Map.entry(DeadLetterHeaders.WORKOS_REQUEST_ID, "req_1"),
            Map.entry(DeadLetterHeaders.TOPIC, "orders"),
            Map.entry(DeadLetterHeaders.PARTITION, "3"),
            Map.entry(DeadLetterHeaders.OFFSET, "41"));
    assertThat(headers.keySet()).containsExactlyElementsOf(DeadLetterHeaders.ALL);
  }

  @Test
  void leavesOutTheRuleWhenNoneAppliesAndWorkOsFieldsWhenWorkOsDidNotAnswer() {
    DeadLetter unmatched =
        DeadLetter.of(FailureStage.MAP, "", DeadLetterReasons.unmatched("orders"));

    assertThat(DeadLetterCodec.encode(unmatched, SOURCE))
        .containsOnlyKeys(
            DeadLetterHeaders.STAGE,
            DeadLetterHeaders.REASON,
            DeadLetterHeaders.TOPIC,
            DeadLetterHeaders.PARTITION,
            DeadLetterHeaders.OFFSET);
  }

  @Test
  void cutsLongReasonsWithOneMarkerAndNeverSplitsASurrogatePair() {
    String reason = "x".repeat(DeadLetterCodec.MAX_REASON_LENGTH - 2) + "\uD83D\uDE00" + "tail";

    String written =
        text(DeadLetterCodec.encode(DeadLetter.of(FailureStage.MAP, "r", reason), SOURCE))
            .get(DeadLetterHeaders.REASON);

    assertThat(written).hasSizeLessThanOrEqualTo(DeadLetterCodec.MAX_REASON_LENGTH);
    assertThat(written).endsWith("x" + DeadLetterCodec.TRUNCATION_MARKER);
    String exact = "y".repeat(DeadLetterCodec.MAX_REASON_LENGTH);
    assertThat(DeadLetterCodec.truncate(exact)).isEqualTo(exact);
  }

  @Test
  void readsBackWhatItWrites() {
    DeadLetter lookup =
        new DeadLetter(
            FailureStage.LOOKUP,
            "rule, with a comma",
            "why",
            OptionalInt.of(404),
            Optional.empty(),
            Optional.of("req_2"));

    Optional<DeadLetterCodec.Decoded> decoded =
        DeadLetterCodec.decode(DeadLetterCodec.encode(lookup, SOURCE));

    assertThat(decoded).contains(new DeadLetterCodec.Decoded(lookup, Optional.of(SOURCE)));
  }

  @Test
  void readsNothingWithoutAStageItKnows() {
    Map<String, byte[]> headers = new LinkedHashMap<>();
    headers.put(DeadLetterHeaders.REASON, utf8("why"));
    assertThat(DeadLetterCodec.decode(headers)).isEmpty();
    headers.put(DeadLetterHeaders.STAGE, utf8("teleport"));
    assertThat(DeadLetterCodec.decode(headers)).isEmpty();
    headers.put(DeadLetterHeaders.STAGE, utf8("map"));
    headers.put(DeadLetterHeaders.WORKOS_STATUS, utf8("four hundred"));
    headers.put(DeadLetterHeaders.TOPIC, utf8("orders"));
    DeadLetterCodec.Decoded decoded = DeadLetterCodec.decode(headers).orElseThrow();
    assertThat(decoded.deadLetter()).isEqualTo(DeadLetter.of(FailureStage.MAP, "", "why"));
    assertThat(decoded.source()).isEmpty();
  }

  @Test
  void stagesAreNamedInLowerCaseBothWays() {
    for (FailureStage stage : FailureStage.values()) {
      assertThat(FailureStage.fromExternalName(stage.externalName())).contains(stage);
    }
    assertThat(FailureStage.LOOKUP.externalName()).isEqualTo("lookup");
  }

  private static Map<String, String> text(Map<String, byte[]> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
