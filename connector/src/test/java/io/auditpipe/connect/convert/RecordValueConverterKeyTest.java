package io.auditpipe.connect.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * Keys read the way the processor reads key bytes, whichever of the string or bytes converters the
 * connector runs with: otherwise the inline path and the processor path give the rules different
 * keys for the same record (ProcessorToConnectorIT).
 */
class RecordValueConverterKeyTest {

  private final RecordValueConverter converter = new RecordValueConverter();

  private Optional<JsonNode> asString(String key) {
    return converter.key(null, key);
  }

  private Optional<JsonNode> asBytes(String key) {
    return converter.key(null, key.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aJsonObjectKeyIsTheObjectFromStringsAndBytesAlike() {
    String key = " {\"customer\": \"c-1\", \"region\": \"eu\"}";
    assertThat(asString(key)).get().extracting(k -> k.at("/region").asText()).isEqualTo("eu");
    assertThat(asBytes(key)).isEqualTo(asString(key));
    assertThat(converter.key(null, ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(asString(key));
  }

  @Test
  void aJsonArrayOrStringKeyIsParsed() {
    assertThat(asString("[1,2]")).get().extracting(JsonNode::size).isEqualTo(2);
    assertThat(asBytes("\"c-1\"")).contains(TextNode.valueOf("c-1"));
  }

  @Test
  void numbersBooleansAndNullStayTheTextOfTheKey() {
    for (String key : new String[] {"4711", "007", "1.50", "true", "null", "customer-1"}) {
      assertThat(asString(key)).as("string key %s", key).contains(TextNode.valueOf(key));
      assertThat(asBytes(key)).as("bytes key %s", key).contains(TextNode.valueOf(key));
    }
  }

  @Test
  void textThatOnlyLooksLikeJsonIsText() {
    for (String key : new String[] {"{not json", "{\"a\":1} trailing", "[x"}) {
      assertThat(asBytes(key)).as(key).contains(TextNode.valueOf(key));
    }
  }

  @Test
  void aConnectEnvelopeKeyIsItsPayloadAsInTheProcessor() {
    String key = "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"user\":\"svc-9\"}}";
    assertThat(asString(key)).get().extracting(k -> k.path("user").asText()).isEqualTo("svc-9");
    assertThat(asBytes(key)).isEqualTo(asString(key));
    String text = "{\"schema\":{\"type\":\"string\"},\"payload\":\"c-1\"}";
    assertThat(asString(text)).contains(TextNode.valueOf("c-1"));
    assertThat(asBytes(text)).contains(TextNode.valueOf("c-1"));
    assertThat(asString("{\"schema\":null,\"payload\":null}")).isEmpty();
    assertThat(asBytes("{\"schema\":null,\"payload\":null}")).isEmpty();
  }

  @Test
  void aKeyThatIsNotUtf8IsNoKeyAsInTheProcessor() {
    byte[] notUtf8 = {'u', '-', (byte) 0xFF};
    assertThat(converter.key(null, notUtf8)).isEmpty();
    assertThat(converter.key(null, ByteBuffer.wrap(notUtf8))).isEmpty();
    assertThat(converter.key(null, new byte[] {'"', (byte) 0xE9, '"'})).isEmpty();
    // What StringConverter hands over for those bytes: decoded with a replacement character.
    assertThat(asString(new String(notUtf8, StandardCharsets.UTF_8))).isEmpty();
    assertThat(asString("café")).contains(TextNode.valueOf("café"));
  }

  @Test
  void aStructuredKeyIsConvertedLikeAValue() {
    Schema schema = SchemaBuilder.struct().field("customer", Schema.STRING_SCHEMA).build();
    assertThat(converter.key(schema, new Struct(schema).put("customer", "c-1")))
        .get()
        .extracting(k -> k.path("customer").asText())
        .isEqualTo("c-1");
    assertThat(converter.key(null, Map.of("payload", "p", "schema", Map.of())))
        .get()
        .extracting(k -> k.path("payload").asText())
        .isEqualTo("p");
    assertThat(converter.key(Schema.INT64_SCHEMA, 42L))
        .get()
        .extracting(JsonNode::isLong)
        .isEqualTo(true);
  }

  @Test
  void anEmptyKeyIsNoKey() {
    assertThat(asString("")).isEmpty();
    assertThat(asBytes("")).isEmpty();
  }
}
