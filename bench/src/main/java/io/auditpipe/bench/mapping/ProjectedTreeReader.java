package io.auditpipe.bench.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Prototype of a parse the rules compiler could derive from the paths its rules read: a streaming
 * parse that builds tree nodes only along those paths and skips every other subtree. The resulting
 * tree answers every one of those paths exactly as the full tree does. Used only by the
 * experimental {@code fast_projected} variant, to size what such a change to core would gain.
 */
final class ProjectedTreeReader {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonFactory factory;
  private final Node root = new Node();

  /**
   * @param pointers JSON Pointers the rules read; a {@code *} segment stands for every element of
   *     an array (a {@code for_each})
   */
  ProjectedTreeReader(JsonFactory factory, Collection<String> pointers) {
    this.factory = factory;
    for (String pointer : pointers) {
      Node node = root;
      if (!pointer.isEmpty()) {
        for (String segment : pointer.substring(1).split("/", -1)) {
          node = node.children.computeIfAbsent(segment, s -> new Node());
        }
      }
      node.whole = true;
    }
  }

  JsonNode read(byte[] value) throws IOException {
    try (JsonParser p = factory.createParser(value)) {
      p.nextToken();
      return read(p, root);
    }
  }

  private static JsonNode read(JsonParser p, Node at) throws IOException {
    JsonToken token = p.currentToken();
    if (at.whole && (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)) {
      return p.readValueAsTree();
    }
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
          p.nextToken();
          Node child = at.children.get(name);
          if (child == null) {
            p.skipChildren();
          } else {
            object.set(name, read(p, child));
          }
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        Node element = at.children.get("*");
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          if (element == null) {
            p.skipChildren();
            array.addNull();
          } else {
            array.add(read(p, element));
          }
        }
        return array;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      default -> {
        return NODES.nullNode();
      }
    }
  }

  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    boolean whole;
  }
}
