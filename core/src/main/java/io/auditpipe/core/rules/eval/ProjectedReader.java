package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.core.rules.ConnectEnvelope;
import java.io.IOException;
import java.util.LinkedHashMap;

/**
 * Reads a JSON record value into a tree holding only what the rules read, with Jackson's streaming
 * parser: every byte is tokenized (so malformed JSON fails as with {@code readTree}), but unread
 * members are skipped instead of built. For the rules' paths the tree is identical to {@code
 * ObjectMapper.readTree} (same node types); unread array elements are {@code null} placeholders so
 * indexes hold. The one reader of record values ({@code CompiledRules.readValue}). Stateless and
 * thread-safe.
 */
public final class ProjectedReader {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  // Jackson's fast double parser gives the same, correctly rounded, doubles as Double.parseDouble.
  static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
  private static final String PAYLOAD = "payload";
  private static final String SCHEMA = "schema";

  private final ReadPaths paths;
  // What the rules read below a root member "payload": their own paths into it, and, should the
  // record be a Connect envelope, every path from the root (the payload is then the record).
  private final ReadPaths payload;

  public ProjectedReader(ReadPaths paths) {
    this.paths = paths;
    ReadPaths member = paths.member(PAYLOAD);
    this.payload = member == null || paths.whole() ? paths : ReadPaths.merged(paths, member);
  }

  /**
   * The value's tree, projected to the rules' paths: a Connect envelope's payload (as {@link
   * ConnectEnvelope#unwrap} decides), {@link MissingNode} for empty input.
   *
   * @throws IOException if {@code json} is malformed or holds more than one JSON value
   */
  public JsonNode read(byte[] json) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return MissingNode.getInstance();
      }
      JsonNode value = t == JsonToken.START_OBJECT && !paths.whole() ? root(p) : value(p, t, paths);
      JsonToken after = p.nextToken();
      if (after != null) {
        throw new JsonParseException(
            p, "expected one JSON value, found more text after it", p.currentTokenLocation());
      }
      return paths.whole() ? ConnectEnvelope.unwrap(value) : value;
    }
  }

  /**
   * The record's root object, projected; or its payload when it is a Connect envelope: exactly the
   * members {@code schema} (an object or null) and {@code payload}.
   */
  private JsonNode root(JsonParser p) throws IOException {
    ObjectNode object = objectNode(paths.children().size() + 1);
    boolean envelopeMembersOnly = true;
    JsonToken schema = null;
    JsonNode payloadValue = null;
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      JsonToken v = p.nextToken();
      if (PAYLOAD.equals(name)) {
        payloadValue = value(p, v, payload);
        object.set(name, payloadValue);
        continue;
      }
      if (SCHEMA.equals(name)) {
        schema = v;
      } else {
        envelopeMembersOnly = false;
      }
      ReadPaths child = paths.member(name);
      if (child == null) {
        p.skipChildren();
      } else {
        object.set(name, value(p, v, child));
      }
    }
    boolean envelope =
        envelopeMembersOnly
            && payloadValue != null
            && (schema == JsonToken.START_OBJECT || schema == JsonToken.VALUE_NULL);
    return envelope ? payloadValue : object;
  }

  /** The value starting at token {@code t}, projected to {@code node}'s paths. */
  static JsonNode value(JsonParser p, JsonToken t, ReadPaths node) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        boolean all = node.whole();
        ObjectNode object = all ? NODES.objectNode() : objectNode(node.children().size());
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
      case START_ARRAY -> {
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
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        switch (p.getNumberType()) {
          case INT:
            return NODES.numberNode(p.getIntValue());
          case LONG:
            return NODES.numberNode(p.getLongValue());
          default:
            return NODES.numberNode(p.getBigIntegerValue());
        }
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
            ? NODES.numberNode(p.getDecimalValue())
            : NODES.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new IOException("unexpected JSON token " + t);
    }
  }

  /**
   * An empty object node, as {@code readTree} makes, whose table holds {@code members} members
   * without growing: most objects keep a member or two of the record's, not the 16 a default table
   * has room for.
   */
  private static ObjectNode objectNode(int members) {
    return new ObjectNode(NODES, new LinkedHashMap<>((int) (members / 0.75f) + 1));
  }
}
