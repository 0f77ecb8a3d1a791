package io.auditpipe.bench.mapping;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The whole mapping as one JSONata expression: parse the value into plain maps and lists (what
 * dashjoin's JSONata evaluates over), evaluate the expression compiled once, serialize the result.
 */
final class JsonataMapper implements OrderEventMapper {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Jsonata expression;

  JsonataMapper(String expression) {
    this.expression = Jsonata.jsonata(expression);
  }

  @Override
  public String name() {
    return "jsonata";
  }

  @Override
  public byte[] map(byte[] value) {
    Object input;
    try {
      input = MAPPER.readValue(value, Object.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return MAPPER.writeValueAsBytes(expression.evaluate(input));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
