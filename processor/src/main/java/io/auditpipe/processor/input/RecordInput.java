package io.auditpipe.processor.input;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.DeadLetterReasons;
import io.auditpipe.core.deadletter.FailureStage;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.RecordKeys;
import io.auditpipe.processor.errors.DeadLetterException;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads a domain record's key and value bytes into the JSON trees the rules evaluate. The value is
 * read by the rules ({@link CompiledRules#readValue}, as the connector and {@code rules preview}
 * read it): plain JSON, or the Connect JSON envelope {@code {"schema": …, "payload": …}} written by
 * Connect's {@code JsonConverter} with schemas enabled, whose payload is what the rules see.
 * Thread-safe.
 */
public final class RecordInput {

  private final CompiledRules rules;

  /** Reads values as {@code rules} read them. */
  public RecordInput(CompiledRules rules) {
    this.rules = rules;
  }

  /**
   * The value as JSON, or empty for a tombstone (a null value, or an envelope with a null payload).
   *
   * @throws DeadLetterException at stage {@code convert} when the bytes are not one JSON document
   */
  public Optional<JsonNode> value(byte[] bytes) {
    if (bytes == null) {
      return Optional.empty();
    }
    JsonNode node = parse(bytes);
    return node.isNull() ? Optional.empty() : Optional.of(node);
  }

  /**
   * The key as the rules see it, decided as the connector decides it: see {@link RecordKeys} (JSON
   * when it is a JSON object, array or string, unwrapping a Connect envelope; otherwise its UTF-8
   * text; no key when it is empty or not UTF-8).
   */
  public Optional<JsonNode> key(byte[] bytes) {
    return RecordKeys.fromBytes(bytes);
  }

  private JsonNode parse(byte[] bytes) {
    try {
      JsonNode node = rules.readValue(bytes);
      if (node == null || node.isMissingNode()) {
        throw convertFailure(DeadLetterReasons.noJsonValue(bytes.length));
      }
      return node;
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the offending token, i.e. record content: report only where.
      JsonLocation at = e.getLocation();
      throw convertFailure(
          at == null
              ? DeadLetterReasons.malformedJson(bytes.length)
              : DeadLetterReasons.malformedJson(at.getLineNr(), at.getColumnNr(), bytes.length));
    } catch (IOException e) {
      throw convertFailure(DeadLetterReasons.unreadable(e.getClass().getSimpleName()));
    }
  }

  private static DeadLetterException convertFailure(String reason) {
    return new DeadLetterException(DeadLetter.of(FailureStage.CONVERT, "", reason));
  }
}
