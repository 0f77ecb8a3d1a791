package io.auditpipe.connect.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class RecordValueConverterTest {

  private final RecordValueConverter converter = new RecordValueConverter();

  @Test
  void convertsStructsWithLogicalTypes() throws Exception {
    Schema user = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
    Schema schema =
        SchemaBuilder.struct()
            .field("ts", Timestamp.SCHEMA)
            .field("day", org.apache.kafka.connect.data.Date.SCHEMA)
            .field("at", Time.SCHEMA)
            .field("total", Decimal.schema(2))
            .field("user", user)
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .field("count", Schema.OPTIONAL_INT32_SCHEMA)
            .field("raw", Schema.BYTES_SCHEMA)
            .build();
    Struct value =
        new Struct(schema)
            .put("ts", Date.from(Instant.parse("2024-05-06T07:08:09.123Z")))
            .put("day", Date.from(Instant.parse("2024-05-06T00:00:00Z")))
            .put("at", Date.from(Instant.ofEpochMilli(3_723_004L)))
            .put("total", new BigDecimal("12.50"))
            .put("user", new Struct(user).put("id", "u1"))
            .put("tags", List.of("a", "b"))
            .put("raw", new byte[] {1, 2});

    JsonNode json = converter.value(schema, value);

    assertThat(json.get("ts").asText()).isEqualTo("2024-05-06T07:08:09.123Z");
    assertThat(json.get("day").asText()).isEqualTo("2024-05-06");
    assertThat(json.get("at").asText()).isEqualTo("01:02:03.004");
    assertThat(json.get("total").decimalValue()).isEqualByComparingTo("12.50");
    assertThat(json.get("total").toString()).isEqualTo("12.50");
    assertThat(json.at("/user/id").asText()).isEqualTo("u1");
    assertThat(json.at("/tags/1").asText()).isEqualTo("b");
    assertThat(json.get("count").isNull()).isTrue();
    assertThat(json.get("raw").asText()).isEqualTo("AQI=");
  }

  @Test
  void convertsSchemalessMapsJsonTextAndJsonBytes() throws Exception {
    JsonNode fromMap =
        converter.value(null, Map.of("a", 1, "b", List.of(true), "when", Date.from(Instant.EPOCH)));
    assertThat(fromMap.get("a").asInt()).isEqualTo(1);
    assertThat(fromMap.at("/b/0").asBoolean()).isTrue();
    assertThat(fromMap.get("when").asText()).isEqualTo("1970-01-01T00:00:00Z");

    assertThat(converter.value(null, "{\"a\":2}").get("a").asInt()).isEqualTo(2);
    assertThat(converter.value(null, "{\"a\":3}".getBytes(StandardCharsets.UTF_8)).get("a").asInt())
        .isEqualTo(3);
  }

  @Test
  void malformedJsonIsReportedWithoutTheValue() {
    byte[] bytes = "{\"secret\": \"hunter2\"".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> converter.value(null, bytes))
        .isInstanceOf(ConversionException.class)
        .hasMessageContaining("expected a JSON value, found malformed JSON")
        .hasMessageNotContaining("hunter2")
        .hasMessageNotContaining("secret");
  }

  @Test
  void unwrapsConfluentAvroUnions() throws Exception {
    Schema union =
        SchemaBuilder.struct()
            .name(RecordValueConverter.CONFLUENT_UNION)
            .field("string", Schema.OPTIONAL_STRING_SCHEMA)
            .field("long", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    Schema schema = SchemaBuilder.struct().field("v", union).build();
    Struct value = new Struct(schema).put("v", new Struct(union).put("long", 42L));
    assertThat(converter.value(schema, value).get("v").asLong()).isEqualTo(42L);
  }

  @Test
  void keysAndHeadersAsTheRulesSeeThem() {
    assertThat(converter.key(null, "k-1")).get().extracting(JsonNode::asText).isEqualTo("k-1");
    assertThat(converter.key(null, "{\"id\":7}".getBytes(StandardCharsets.UTF_8)))
        .get()
        .extracting(k -> k.get("id").asInt())
        .isEqualTo(7);
    assertThat(converter.key(null, null)).isEmpty();

    ConnectHeaders headers = new ConnectHeaders();
    headers.addString("user-agent", "first");
    headers.addBytes("user-agent", "curl/8".getBytes(StandardCharsets.UTF_8));
    headers.addInt("n", 5);
    SinkRecord record = new SinkRecord("t", 0, null, null, null, "{}", 0, 0L, null, headers);
    assertThat(converter.headers(record))
        .containsEntry("user-agent", "curl/8")
        .containsEntry("n", "5");
  }
}
