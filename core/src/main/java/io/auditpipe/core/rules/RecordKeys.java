package io.auditpipe.core.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A domain record's key as the rules see it ({@link RecordContext#key()}), decided here once so
 * that the processor (key bytes) and the connector (key bytes or text, by its key converter) give
 * the rules the same key for the same record — and so the same events and idempotency keys.
 *
 * <ul>
 *   <li>Text whose first non-whitespace character is <code>{</code>, <code>[</code> or {@code "}
 *       and that is one JSON document is that JSON; a Connect JSON envelope is unwrapped to its
 *       payload ({@link ConnectEnvelope}), and an envelope with a null payload is no key.
 *   <li>Any other text is a text node of the text as it is, whitespace included: {@code 42}, {@code
 *       true} and {@code null} are the text a string key is, and <code>&#123;not json</code> is
 *       text.
 *   <li>An empty key is no key.
 *   <li>A key that is not UTF-8 is no key, so that a rule reading it fails (or takes its {@code
 *       default}) instead of reading a lossy decoding: decoding with replacement characters makes
 *       distinct keys the same text, and with it the same lookups and event ids. Text holding the
 *       replacement character U+FFFD (or an unpaired surrogate) counts as not UTF-8 too: it is what
 *       a lenient decoder, such as Connect's {@code StringConverter}, leaves where the bytes were
 *       not UTF-8, and so a connector reading keys as strings decides as one reading their bytes.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class RecordKeys {

  private static final ObjectReader READER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build().reader();

  private RecordKeys() {}

  /** The key of a record whose key is {@code bytes}; {@code null} is no key. */
  public static Optional<JsonNode> fromBytes(byte[] bytes) {
    if (bytes == null) {
      return Optional.empty();
    }
    if (isAscii(bytes)) {
      // The common case (ids, UUIDs, numbers, JSON of ASCII text): no decoder needed.
      return fromText(new String(bytes, StandardCharsets.US_ASCII));
    }
    try {
      return fromText(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /**
   * The key of a record whose key a converter has already decoded to {@code text}; {@code null} is
   * no key.
   */
  public static Optional<JsonNode> fromText(String text) {
    if (text == null || text.isEmpty() || !isWellFormed(text)) {
      return Optional.empty();
    }
    char first = firstNonWhitespace(text);
    if (first == '{' || first == '[' || first == '"') {
      try {
        JsonNode node = ConnectEnvelope.unwrap(READER.readTree(text));
        return node.isNull() ? Optional.empty() : Optional.of(node);
      } catch (JsonProcessingException e) {
        // Not JSON after all: the text it is.
      }
    }
    return Optional.of(JsonNodeFactory.instance.textNode(text));
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /** Free of U+FFFD and of surrogates without their other half. */
  private static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\uFFFD') {
        return false;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** JSON's whitespace only, as the JSON parser skips it. */
  private static char firstNonWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return c;
      }
    }
    return 0;
  }
}
