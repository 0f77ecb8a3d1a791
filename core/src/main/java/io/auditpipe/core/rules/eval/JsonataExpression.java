package io.auditpipe.core.rules.eval;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A JSONata expression, parsed once and evaluated with a fresh frame per evaluation that carries
 * the record context and the time and depth bounds, so no expression can hang or exhaust the stack.
 * {@code $eval} is disabled: an expression cannot smuggle in code the compiler never saw. JSONata
 * has no Java interop, file or network functions.
 *
 * <p>Bindings: the input {@code $} is the record's value (the element inside a {@code for_each}
 * target); {@code $record} is always the record's value; {@code $key}, {@code $topic}, {@code
 * $partition}, {@code $offset}, {@code $timestamp} (epoch milliseconds, absent if unknown) and
 * {@code $headers} (an object) describe the record.
 */
public final class JsonataExpression {

  /** Bounds of one evaluation. */
  public record Bounds(Duration timeout, int maxDepth) {
    public static final Bounds DEFAULT = new Bounds(Duration.ofMillis(250), 200);
  }

  private static final Jsonata.JFunction NO_EVAL =
      new Jsonata.JFunction(
          (input, args) -> {
            throw new JException("auditpipe: $eval is disabled in rules", -1);
          },
          null);

  private final Jsonata expression;
  private final Bounds bounds;

  private JsonataExpression(Jsonata expression, Bounds bounds) {
    this.expression = expression;
    this.bounds = bounds;
  }

  /** Parses {@code source}; throws {@link IllegalArgumentException} saying what is wrong. */
  public static JsonataExpression parse(String source, Bounds bounds) {
    if (source.contains("$eval")) {
      throw new IllegalArgumentException("$eval is not allowed in rules");
    }
    Jsonata parsed;
    try {
      parsed = Jsonata.jsonata(source);
    } catch (JException e) {
      throw new IllegalArgumentException(
          "invalid JSONata at character " + e.getLocation() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid JSONata: " + e.getClass().getSimpleName());
    }
    if (parsed.getErrors() != null && !parsed.getErrors().isEmpty()) {
      throw new IllegalArgumentException(
          "invalid JSONata: " + parsed.getErrors().get(0).getMessage());
    }
    return new JsonataExpression(parsed, bounds);
  }

  /**
   * Evaluates over the current node of {@code scope}. Returns the raw JSONata result ({@code null}
   * when undefined), or {@link Scope#FAILED} after recording a failure that names the error code,
   * never the data.
   */
  public Object evaluate(Scope scope) {
    JsonataInput input = scope.jsonataInput();
    Object current = scope.atRoot() ? input.value() : JsonataInput.toJava(scope.current());
    Jsonata.Frame frame = expression.createFrame();
    frame.setRuntimeBounds(bounds.timeout().toMillis(), bounds.maxDepth());
    frame.bind("eval", NO_EVAL);
    frame.bind("record", input.value());
    frame.bind("topic", scope.record().topic());
    frame.bind("partition", scope.record().partition());
    frame.bind("offset", scope.record().offset());
    frame.bind("headers", input.headers());
    if (input.key() != null) {
      frame.bind("key", input.key());
    }
    scope.record().timestamp().ifPresent(t -> frame.bind("timestamp", t.toEpochMilli()));
    try {
      return expression.evaluate(current, frame);
    } catch (JException e) {
      return scope.fail(describe(e));
    } catch (StackOverflowError e) {
      return scope.fail("JSONata evaluation exceeded the Java stack");
    } catch (RuntimeException e) {
      // Other exceptions' messages may quote record data: name the type only.
      return scope.fail("JSONata evaluation failed: " + e.getClass().getSimpleName());
    }
  }

  private String describe(JException e) {
    String error = e.getError() == null ? "" : e.getError();
    if (error.startsWith("Expression evaluation timeout")) {
      return "JSONata evaluation exceeded its time bound of " + bounds.timeout().toMillis() + " ms";
    }
    if (error.startsWith("Stack overflow")) {
      return "JSONata evaluation exceeded its depth bound of " + bounds.maxDepth();
    }
    if (error.startsWith("auditpipe: ")) {
      return error.substring("auditpipe: ".length());
    }
    if (error.matches("[A-Z]\\d{4}")) {
      return "JSONata error " + error + " at character " + e.getLocation();
    }
    return "JSONata evaluation failed";
  }

  /** Converts a JSONata result to JSON; {@code null} and JSONata's null are absent. */
  public static JsonNode toJson(Object value) {
    if (value == null || value == Jsonata.NULL_VALUE) {
      return null;
    }
    if (value instanceof String s) {
      return TextNode.valueOf(s);
    }
    if (value instanceof Boolean b) {
      return BooleanNode.valueOf(b);
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return LongNode.valueOf(((Number) value).longValue());
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
        return LongNode.valueOf((long) d);
      }
      return DoubleNode.valueOf(d);
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        JsonNode v = toJson(e.getValue());
        object.set(String.valueOf(e.getKey()), v == null ? object.nullNode() : v);
      }
      return object;
    }
    if (value instanceof List<?> list) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (Object o : list) {
        JsonNode v = toJson(o);
        array.add(v == null ? array.nullNode() : v);
      }
      return array;
    }
    // A function or another engine object: represent it by a type name only.
    return JsonNodeFactory.instance.pojoNode(value.getClass().getSimpleName());
  }
}
