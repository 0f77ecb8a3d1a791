package io.auditpipe.processor.input;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.auditpipe.processor.errors.DeadLetterException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads a domain record's key and value bytes into the JSON trees the rules evaluate: plain JSON,
 * or the Connect JSON envelope {@code {"schema": …, "payload": …}} written by Connect's {@code
 * JsonConverter} with schemas enabled, whose payload is what the rules see. Thread-safe.
 */
public final class RecordInput {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * The value as JSON, or empty for a tombstone (a null value, or an envelope with a null payload).
   *
   * @throws DeadLetterException at stage {@code convert} when the bytes are not one JSON document
   */
  public Optional<JsonNode> value(byte[] bytes) {
    if (bytes == null) {
      return Optional.empty();
    }
    JsonNode node = unwrap(parse(bytes));
    return node.isNull() ? Optional.empty() : Optional.of(node);
  }

  /**
   * The key as the rules see it: JSON when it is a JSON object, array or string (unwrapping a
   * Connect envelope), otherwise its UTF-8 text (a string key {@code 42} or {@code user-1}). Keys
   * that are neither JSON nor UTF-8 are left out, so that rules reading the key fail or fall back
   * to their default rather than the record failing.
   */
  public Optional<JsonNode> key(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return Optional.empty();
    }
    byte first = firstNonWhitespace(bytes);
    if (first == '{' || first == '[' || first == '"') {
      try {
        JsonNode node = unwrap(MAPPER.readTree(bytes));
        return node.isNull() ? Optional.empty() : Optional.of(node);
      } catch (IOException e) {
        // Not JSON after all: fall through to the text form.
      }
    }
    if (isAscii(bytes)) {
      // The common case (ids, UUIDs, numbers): no decoder needed.
      return Optional.of(
          JsonNodeFactory.instance.textNode(new String(bytes, StandardCharsets.US_ASCII)));
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return Optional.of(JsonNodeFactory.instance.textNode(text));
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw convertFailure("found " + bytes.length + " byte(s) without a JSON value");
      }
      return node;
    } catch (JsonParseException e) {
      // Jackson's message quotes the offending token, i.e. record content: report only where.
      throw convertFailure(
          "found malformed JSON at byte offset " + e.getLocation().getByteOffset());
    } catch (JsonProcessingException e) {
      throw convertFailure(
          "found malformed JSON ("
              + e.getClass().getSimpleName()
              + (e.getLocation() == null
                  ? ""
                  : " at byte offset " + e.getLocation().getByteOffset())
              + ")");
    } catch (IOException e) {
      throw convertFailure("found unreadable bytes (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The payload of a Connect JSON envelope; any other node as it is. */
  static JsonNode unwrap(JsonNode node) {
    if (node.isObject()
        && node.size() == 2
        && node.has("payload")
        && node.has("schema")
        && (node.get("schema").isObject() || node.get("schema").isNull())) {
      return node.get("payload");
    }
    return node;
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private static byte firstNonWhitespace(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return b;
      }
    }
    return 0;
  }

  private static DeadLetterException convertFailure(String found) {
    return new DeadLetterException(
        DeadLetterException.Stage.CONVERT,
        "",
        "expected a JSON value or a Connect JSON envelope, " + found);
  }
}
