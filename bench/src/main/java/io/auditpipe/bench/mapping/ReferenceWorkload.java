package io.auditpipe.bench.mapping;

import io.auditpipe.core.rules.RecordContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The reference mapping workload: a ~1 KB order event, and the same mapping written as an
 * auditpipe rules document, a JSONata expression and a JSLT template (resources beside this class;
 * the hand-written form is {@link HandwrittenJacksonMapper}). Action template, actor (id, type,
 * name), two targets (one fanned out over the 3 items), context from the document's defaults (with
 * a default location), 5 metadata fields, an epoch-millis timestamp.
 */
final class ReferenceWorkload {

  /** The topic the rules select; the record's coordinates are fixed, as a consumer has them. */
  static final RecordContext RECORD = RecordContext.of("orders", 0, 42L);

  private ReferenceWorkload() {}

  static byte[] orderEvent() {
    return resource("order-event.json");
  }

  static String rulesDocument() {
    return text("order-rules.json");
  }

  static String jsonataExpression() {
    return text("order-mapping.jsonata");
  }

  static String jsltTemplate() {
    return text("order-mapping.jslt");
  }

  /** The mapper names, in report order; the first is the reference the others must agree with. */
  static final List<String> MAPPERS = List.of("fast", "jsonata", "jslt", "handwritten");

  /** All four mappers, in report order. */
  static List<OrderEventMapper> mappers() {
    return MAPPERS.stream().map(ReferenceWorkload::mapper).toList();
  }

  /** A new mapper by name, its rules, expression or template compiled. */
  static OrderEventMapper mapper(String name) {
    return switch (name) {
      case "fast" -> new RulesFastPathMapper(rulesDocument(), RECORD);
      case "jsonata" -> new JsonataMapper(jsonataExpression());
      case "jslt" -> new JsltMapper(jsltTemplate());
      case "handwritten" -> new HandwrittenJacksonMapper();
      default -> throw new IllegalArgumentException("no mapper named " + name);
    };
  }

  /**
   * Fails unless every mapper turns the event into exactly the same bytes: a benchmark of mappings
   * that disagree would compare different work.
   */
  static void requireSameOutput(List<OrderEventMapper> mappers, byte[] event) {
    OrderEventMapper reference = mappers.get(0);
    byte[] expected = reference.map(event);
    StringBuilder mismatches = new StringBuilder();
    for (OrderEventMapper mapper : mappers.subList(1, mappers.size())) {
      byte[] actual = mapper.map(event);
      if (!Arrays.equals(expected, actual)) {
        mismatches
            .append('\n')
            .append(mapper.name())
            .append(":\n  ")
            .append(new String(actual, StandardCharsets.UTF_8));
      }
    }
    if (mismatches.length() > 0) {
      throw new IllegalStateException(
          "mappers disagree with "
              + reference.name()
              + ":\n  "
              + new String(expected, StandardCharsets.UTF_8)
              + mismatches);
    }
  }

  private static String text(String name) {
    return new String(resource(name), StandardCharsets.UTF_8);
  }

  private static byte[] resource(String name) {
    try (InputStream in = ReferenceWorkload.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
