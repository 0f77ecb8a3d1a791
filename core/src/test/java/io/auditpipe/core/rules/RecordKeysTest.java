package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every case is read from bytes and from text alike, since the connector reads text keys (its
 * StringConverter) and bytes keys while the processor reads bytes: both must give the rules one
 * key.
 */
class RecordKeysTest {

  /** The key of {@code key} read from its UTF-8 bytes, checked to be the one read from its text. */
  private static Optional<JsonNode> key(String key) {
    Optional<JsonNode> fromBytes = RecordKeys.fromBytes(key.getBytes(StandardCharsets.UTF_8));
    assertThat(RecordKeys.fromText(key)).as("text key %s", key).isEqualTo(fromBytes);
    return fromBytes;
  }

  private static Optional<JsonNode> text(String text) {
    return Optional.of(TextNode.valueOf(text));
  }

  @Test
  void aJsonObjectOrArrayIsThatJson() {
    assertThat(key("{\"customer\":\"c-1\",\"n\":2}"))
        .get()
        .satisfies(
            k -> {
              assertThat(k.isObject()).isTrue();
              assertThat(k.path("customer").asText()).isEqualTo("c-1");
              assertThat(k.path("n").isInt()).isTrue();
            });
    assertThat(key("[1,\"two\"]"))
        .get()
        .satisfies(
            k -> {
              assertThat(k.isArray()).isTrue();
              assertThat(k.size()).isEqualTo(2);
            });
  }

  @Test
  void aJsonStringIsItsText() {
    assertThat(key("\"c-1\"")).isEqualTo(text("c-1"));
    assertThat(key("\"caf\\u00e9\"")).isEqualTo(text("café"));
  }

  @Test
  void numbersBooleansAndNullStayTheTextOfTheKey() {
    for (String k : new String[] {"42", "007", "1.50", "-1e3", "true", "false", "null"}) {
      assertThat(key(k)).as(k).isEqualTo(text(k));
    }
  }

  @Test
  void plainTextIsTextAsItIs() {
    assertThat(key("user-42")).isEqualTo(text("user-42"));
    assertThat(key("café-1")).isEqualTo(text("café-1"));
    assertThat(key(" padded ")).isEqualTo(text(" padded "));
    assertThat(key("   ")).isEqualTo(text("   "));
  }

  @Test
  void jsonPaddedWithWhitespaceIsStillJson() {
    assertThat(key(" \t\r\n {\"id\":7} \n"))
        .get()
        .extracting(k -> k.path("id").asInt())
        .isEqualTo(7);
    assertThat(key("  [true]  ")).get().extracting(JsonNode::size).isEqualTo(1);
    assertThat(key(" \"c-1\" ")).isEqualTo(text("c-1"));
  }

  @Test
  void textThatOnlyLooksLikeJsonIsText() {
    for (String k : new String[] {"{not json", "{\"a\":1} trailing", "[x", "\"open", "{}{}"}) {
      assertThat(key(k)).as(k).isEqualTo(text(k));
    }
  }

  @Test
  void anEmptyOrNullKeyIsNoKey() {
    assertThat(key("")).isEmpty();
    assertThat(RecordKeys.fromBytes(null)).isEmpty();
    assertThat(RecordKeys.fromText(null)).isEmpty();
  }

  @Test
  void aConnectEnvelopeIsItsPayload() {
    assertThat(key("{\"schema\":{\"type\":\"struct\"},\"payload\":{\"user\":\"svc-9\"}}"))
        .get()
        .extracting(k -> k.path("user").asText())
        .isEqualTo("svc-9");
    assertThat(key("{\"schema\":null,\"payload\":{\"user\":\"svc-9\"}}"))
        .get()
        .extracting(k -> k.path("user").asText())
        .isEqualTo("svc-9");
    assertThat(key("{\"schema\":{\"type\":\"string\"},\"payload\":\"c-1\"}"))
        .isEqualTo(text("c-1"));
    assertThat(key(" {\"payload\":[1],\"schema\":{\"type\":\"array\"}} "))
        .get()
        .extracting(JsonNode::size)
        .isEqualTo(1);
  }

  @Test
  void anEnvelopeWithANullPayloadIsNoKey() {
    assertThat(key("{\"schema\":{\"type\":\"string\",\"optional\":true},\"payload\":null}"))
        .isEmpty();
    assertThat(key("{\"schema\":null,\"payload\":null}")).isEmpty();
  }

  @Test
  void anObjectThatIsNotQuiteAnEnvelopeIsTheObject() {
    // No schema, a schema that is not an object, or a field more: a domain key of its own.
    for (String k :
        new String[] {
          "{\"payload\":{\"user\":\"svc-9\"}}",
          "{\"schema\":\"string\",\"payload\":\"c-1\"}",
          "{\"schema\":null,\"payload\":\"c-1\",\"v\":2}"
        }) {
      assertThat(key(k)).as(k).get().extracting(JsonNode::isObject).isEqualTo(true);
      assertThat(key(k).orElseThrow().has("payload")).as(k).isTrue();
    }
  }

  @Test
  void bytesThatAreNotUtf8AreNoKey() {
    assertThat(RecordKeys.fromBytes(new byte[] {(byte) 0xC3, (byte) 0x28})).isEmpty();
    assertThat(RecordKeys.fromBytes(new byte[] {'u', '-', (byte) 0xFF})).isEmpty();
    // Not UTF-8 inside what would be JSON: not JSON, and not text either.
    assertThat(RecordKeys.fromBytes(new byte[] {'"', (byte) 0xE9, '"'})).isEmpty();
    assertThat(
            RecordKeys.fromBytes(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0x80, '"', '}'}))
        .isEmpty();
  }

  @Test
  void textALenientDecoderMadeOfBytesThatAreNotUtf8IsNoKeyEither() {
    // What Connect's StringConverter (new String(bytes, UTF_8)) gives for the bytes above.
    for (byte[] bytes :
        new byte[][] {
          {(byte) 0xC3, (byte) 0x28},
          {'"', (byte) 0xE9, '"'},
          {'{', '"', 'a', '"', ':', (byte) 0x80}
        }) {
      String lenient = new String(bytes, StandardCharsets.UTF_8);
      assertThat(lenient).contains("\uFFFD");
      assertThat(RecordKeys.fromText(lenient)).as(lenient).isEmpty();
      assertThat(RecordKeys.fromBytes(bytes)).isEmpty();
    }
    // A surrogate without its other half has no UTF-8 form; a whole pair is fine.
    assertThat(RecordKeys.fromText("u-\uD83D")).isEmpty();
    assertThat(RecordKeys.fromText("\uDE00-u")).isEmpty();
    assertThat(key("u-\uD83D\uDE00")).isEqualTo(text("u-\uD83D\uDE00"));
  }

  @Test
  void theReplacementCharacterItselfCountsAsNotUtf8() {
    // Valid UTF-8 (EF BF BD), but only a lenient decoder's mark: left out from bytes and text
    // alike.
    assertThat(key("u-\uFFFD")).isEmpty();
  }
}
