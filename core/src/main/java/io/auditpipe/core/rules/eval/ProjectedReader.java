package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Parses a JSON record value into a tree holding only what the rules read: every byte is still
 * tokenized (so malformed JSON fails as with {@code readTree}), but unread members are skipped
 * instead of built. For the rules' paths the tree is identical to {@code ObjectMapper.readTree}
 * (same node types); unread array elements are {@code null} placeholders so indexes hold. Stateless
 * and thread-safe.
 */
public final class ProjectedReader {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final JsonFactory FACTORY = new JsonFactory();

  private final ReadPaths paths;

  public ProjectedReader(ReadPaths paths) {
    this.paths = paths;
  }

  /** The value's tree, projected to the rules' paths; {@link MissingNode} for empty input. */
  public JsonNode read(byte[] json) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken t = p.nextToken();
      return t == null ? MissingNode.getInstance() : value(p, t, paths);
    }
  }

  /** The value starting at token {@code t}, projected to {@code node}'s paths. */
  static JsonNode value(JsonParser p, JsonToken t, ReadPaths node) throws IOException {
    switch (t) {
      case START_OBJECT:
        {
          ObjectNode object = NODES.objectNode();
          boolean all = node.whole();
          for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            ReadPaths child = all ? node : node.member(name);
            if (child == null) {
              p.skipChildren();
            } else {
              object.set(name, value(p, v, child));
            }
          }
          return object;
        }
      case START_ARRAY:
        {
          ArrayNode array = NODES.arrayNode();
          boolean all = node.whole();
          int i = 0;
          for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken(), i++) {
            ReadPaths child = all ? node : node.element(i);
            if (child == null) {
              p.skipChildren();
              array.add(NullNode.instance);
            } else {
              array.add(value(p, v, child));
            }
          }
          return array;
        }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return NODES.numberNode(p.getIntValue());
          case LONG:
            return NODES.numberNode(p.getLongValue());
          default:
            return NODES.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        return p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
            ? NODES.numberNode(p.getDecimalValue())
            : NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new IOException("unexpected JSON token " + t);
    }
  }
}
