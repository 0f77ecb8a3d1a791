package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.rules.RecordContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record in the plain maps and lists JSONata evaluates over, converted once per record and shared
 * by all of its expressions (which only read it).
 */
public final class JsonataInput {

  private final Object value;
  private final Object key;
  private final Map<String, Object> headers;

  JsonataInput(JsonNode root, RecordContext record) {
    this.value = toJava(root);
    this.key = record.key().map(JsonataInput::toJava).orElse(null);
    this.headers = Map.copyOf(record.headers());
  }

  public Object value() {
    return value;
  }

  public Object key() {
    return key;
  }

  public Map<String, Object> headers() {
    return headers;
  }

  /** Converts a JSON tree to JSONata's Java representation. */
  public static Object toJava(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return null;
    }
    switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          map.put(e.getKey(), toJava(e.getValue()));
        }
        return map;
      }
      case ARRAY -> {
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode element : node) {
          list.add(toJava(element));
        }
        return list;
      }
      case STRING -> {
        return node.textValue();
      }
      case BOOLEAN -> {
        return node.booleanValue();
      }
      case NUMBER -> {
        if (node.isIntegralNumber()) {
          return node.canConvertToLong() ? (Object) node.longValue() : node.doubleValue();
        }
        return node.doubleValue();
      }
      default -> {
        return null;
      }
    }
  }
}
