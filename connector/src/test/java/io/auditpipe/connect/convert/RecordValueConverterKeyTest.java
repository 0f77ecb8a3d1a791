package io.auditpipe.connect.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
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
  void anEmptyKeyIsNoKey() {
    assertThat(asString("")).isEmpty();
    assertThat(asBytes("")).isEmpty();
  }
}
