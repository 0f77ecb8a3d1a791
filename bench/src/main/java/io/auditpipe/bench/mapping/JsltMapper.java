package io.auditpipe.bench.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.Parser;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The whole mapping as one JSLT template over a Jackson tree, compiled once. */
final class JsltMapper implements OrderEventMapper {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Expression template;

  JsltMapper(String template) {
    this.template = Parser.compileString(template);
  }

  @Override
  public String name() {
    return "jslt";
  }

  @Override
  public byte[] map(byte[] value) {
    try {
      return MAPPER.writeValueAsBytes(template.apply(MAPPER.readTree(value)));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
