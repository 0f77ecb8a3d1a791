package io.auditpipe.core.avro;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.core.model.Actor;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.Context;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.Target;
import io.auditpipe.core.rules.IdempotencyKeys;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.schemas.avro.AuditLogEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AuditEventAvroCodecTest {

  private static final RecordCoordinates SOURCE = new RecordCoordinates("orders", 3, 1234567L);

  @Test
  void recognizesTheSingleObjectMarkerOfWhatItEncodes() {
    assertThat(
            AuditEventAvroCodec.isSingleObjectEncoded(AuditEventAvroCodec.encode(full(), SOURCE)))
        .isTrue();
    assertThat(AuditEventAvroCodec.isSingleObjectEncoded("{\"action\":\"a\"}".getBytes(UTF_8)))
        .isFalse();
    assertThat(AuditEventAvroCodec.isSingleObjectEncoded(new byte[] {(byte) 0xC3})).isFalse();
    assertThat(AuditEventAvroCodec.isSingleObjectEncoded(null)).isFalse();
  }

  @Test
  void roundTripsEveryFieldAndEveryMetadataValueType() {
    MappedEvent mapped = full();

    AvroDecodeResult result =
        AuditEventAvroCodec.decode(AuditEventAvroCodec.encode(mapped, SOURCE));

    assertThat(result)
        .isEqualTo(new AvroDecodeResult.Decoded(new AuditEventRecord(mapped, SOURCE)));
    Metadata metadata = ((AvroDecodeResult.Decoded) result).record().mapped().event().metadata();
    assertThat(metadata.values().keySet()).containsExactly("plan", "seats", "ratio", "trial");
  }

  @Test
  void roundTripsAbsentOptionalsAndEmptyMetadata() {
    AuditEvent event =
        new AuditEvent(
            "org_1",
            "user.signed_in",
            Instant.parse("2026-01-02T03:04:05.006Z"),
            OptionalInt.empty(),
            new Actor("u1", "user"),
            List.of(),
            new Context("10.0.0.1"),
            Metadata.empty());
    MappedEvent mapped = new MappedEvent(event, IdempotencyKeys.fromEventId("e1", "r", 0), "r");

    AvroDecodeResult result =
        AuditEventAvroCodec.decode(AuditEventAvroCodec.encode(mapped, SOURCE));

    assertThat(result)
        .isEqualTo(new AvroDecodeResult.Decoded(new AuditEventRecord(mapped, SOURCE)));
    AuditLogEvent avro = AuditEventAvroCodec.toAvro(mapped, SOURCE);
    assertThat(avro.getVersion()).isNull();
    assertThat(avro.getActor().getName()).isNull();
    assertThat(avro.getContext().getUserAgent()).isNull();
  }

  @Test
  void keepsMillisecondsAndDropsFinerPrecision() {
    Instant nanos = Instant.parse("2026-05-06T07:08:09.123456789Z");
    MappedEvent mapped = withOccurredAt(nanos);

    AuditEventRecord decoded =
        ((AvroDecodeResult.Decoded)
                AuditEventAvroCodec.decode(AuditEventAvroCodec.encode(mapped, SOURCE)))
            .record();

    assertThat(decoded.mapped().event().occurredAt())
        .isEqualTo(Instant.parse("2026-05-06T07:08:09.123Z"));
  }

  @Test
  void carriesSourceCoordinatesRuleAndIdempotencyKeyInTheAvroRecord() {
    MappedEvent mapped = full();

    AuditLogEvent avro = AuditEventAvroCodec.toAvro(mapped, SOURCE);

    assertThat(avro.getSource().getTopic()).isEqualTo("orders");
    assertThat(avro.getSource().getPartition()).isEqualTo(3);
    assertThat(avro.getSource().getOffset()).isEqualTo(1234567L);
    assertThat(avro.getSource().getRule()).isEqualTo("order-paid");
    assertThat(avro.getIdempotencyKey()).isEqualTo(mapped.idempotencyKey());
    assertThat(AuditEventAvroCodec.fromAvro(avro)).isEqualTo(new AuditEventRecord(mapped, SOURCE));
  }

  @Test
  void encodesExactlyAsTheGeneratedEncoderDoes() throws Exception {
    for (MappedEvent mapped : List.of(full(), minimal())) {
      java.nio.ByteBuffer generated =
          AuditLogEvent.getEncoder().encode(AuditEventAvroCodec.toAvro(mapped, SOURCE));
      byte[] expected = new byte[generated.remaining()];
      generated.get(expected);

      assertThat(AuditEventAvroCodec.encode(mapped, SOURCE)).isEqualTo(expected);
    }
  }

  @Test
  void writesTheSingleObjectMarkerAndSchemaFingerprint() {
    byte[] bytes = AuditEventAvroCodec.encode(full(), SOURCE);

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
  }

  @Test
  void reportsBytesWithoutTheMarkerAsUndecodable() {
    AvroDecodeResult result = AuditEventAvroCodec.decode("{\"a\":1}".getBytes(UTF_8));

    assertThat(result).isInstanceOf(AvroDecodeResult.Undecodable.class);
    assertThat(((AvroDecodeResult.Undecodable) result).reason())
        .contains("marker C3 01")
        .contains("7B 22");
  }

  @Test
  void reportsAnUnknownFingerprintAsUndecodable() {
    byte[] bytes = AuditEventAvroCodec.encode(full(), SOURCE);
    bytes[2] ^= 0x55;

    AvroDecodeResult result = AuditEventAvroCodec.decode(bytes);

    assertThat(((AvroDecodeResult.Undecodable) result).reason()).contains("unknown schema");
  }

  @Test
  void reportsTruncatedDataAndNullAsUndecodable() {
    byte[] bytes = AuditEventAvroCodec.encode(full(), SOURCE);

    assertThat(AuditEventAvroCodec.decode(Arrays.copyOf(bytes, 20)))
        .isInstanceOf(AvroDecodeResult.Undecodable.class);
    assertThat(AuditEventAvroCodec.decode(new byte[0]))
        .isInstanceOf(AvroDecodeResult.Undecodable.class);
    assertThat(AuditEventAvroCodec.decode(null)).isInstanceOf(AvroDecodeResult.Undecodable.class);
  }

  private static MappedEvent full() {
    Map<String, MetadataValue> metadata = new LinkedHashMap<>();
    metadata.put("plan", MetadataValue.of("pro"));
    metadata.put("seats", MetadataValue.of(42L));
    metadata.put("ratio", MetadataValue.of(0.25));
    metadata.put("trial", MetadataValue.of(false));
    AuditEvent event =
        new AuditEvent(
            "org_01EHWNCE74X7JSDV0X3SZ3KJNY",
            "order.paid",
            Instant.parse("2026-11-23T01:02:03.456Z"),
            OptionalInt.of(2),
            new Actor(
                "user_1",
                "user",
                Optional.of("Jane"),
                Metadata.of(Map.of("role", MetadataValue.of("admin")))),
            List.of(
                new Target("ord_1", "order", Optional.of("Order 1"), Metadata.empty()),
                new Target(
                    "sku_1",
                    "item",
                    Optional.empty(),
                    Metadata.of(Map.of("qty", MetadataValue.of(3L))))),
            new Context("203.0.113.7", Optional.of("curl/8.0")),
            Metadata.of(metadata));
    return new MappedEvent(
        event,
        IdempotencyKeys.fromCoordinates("orders", 3, 1234567L, "order-paid", 0),
        "order-paid");
  }

  private static MappedEvent minimal() {
    return new MappedEvent(
        new AuditEvent(
            "org_1",
            "user.signed_in",
            Instant.parse("2026-01-02T03:04:05.006Z"),
            OptionalInt.empty(),
            new Actor("u1", "user"),
            List.of(new Target("t1", "team")),
            new Context("10.0.0.1"),
            Metadata.empty()),
        "k",
        "r");
  }

  private static MappedEvent withOccurredAt(Instant at) {
    AuditEvent e = full().event();
    return new MappedEvent(
        new AuditEvent(
            e.organizationId(),
            e.action(),
            at,
            e.version(),
            e.actor(),
            e.targets(),
            e.context(),
            e.metadata()),
        "k",
        "r");
  }
}
