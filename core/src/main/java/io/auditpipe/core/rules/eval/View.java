package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.model.AuditEventJson;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A node of the record seen through a declaration of the rules document ({@code views}): a string
 * holding JSON text (or base64 of it) parsed in place, or the first present of several nodes
 * ({@code after ?? before}). Paths below the view's pointer continue into that node. Each view is
 * computed at most once per record, however many fields read it ({@link Scope} keeps the result).
 * Immutable.
 */
public final class View {

  /** What a view makes of its source. */
  public enum Kind {
    /** A string of JSON text, parsed (an object or array already parsed is taken as it is). */
    JSON,
    /** A string of base64 (RFC 4648) whose bytes are JSON text, decoded and parsed. */
    BASE64_JSON,
    /** The first of the sources that is present and not JSON {@code null}. */
    FIRST_PRESENT;

    /** The name used in rules documents. */
    public String externalName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String pointer;
  private final int id;
  private final int count;
  private final Kind kind;
  private final RootPath[] sources;
  private final ReadPaths read;

  /**
   * @param id this view's index among the document's {@code count} views
   * @param read the paths the rules read below the view (what a parse builds)
   */
  public View(
      String pointer, int id, int count, Kind kind, List<RootPath> sources, ReadPaths read) {
    this.pointer = pointer;
    this.id = id;
    this.count = count;
    this.kind = kind;
    this.sources = sources.toArray(new RootPath[0]);
    this.read = read;
  }

  int id() {
    return id;
  }

  int count() {
    return count;
  }

  /**
   * The view's node in this record: {@code null} when absent, {@link Scope#FAILED} after recording
   * a failure. Called by {@link Scope#view}, which remembers the result for the record.
   */
  JsonNode compute(Scope scope) {
    if (kind == Kind.FIRST_PRESENT) {
      for (RootPath source : sources) {
        JsonNode node = scope.rootPath(source);
        if (Scope.failed(node)) {
          return node;
        }
        if (!Nodes.absent(node)) {
          return node;
        }
      }
      return null;
    }
    JsonNode node = scope.rootPath(sources[0]);
    if (Scope.failed(node) || Nodes.absent(node)) {
      return Scope.failed(node) ? node : null;
    }
    if (kind == Kind.JSON && node.isContainerNode()) {
      // Already parsed upstream (e.g. an outbox router expanding the payload): the same document.
      return node;
    }
    String parse = "path \"" + pointer + "\" (views: parse " + kind.externalName() + "): ";
    if (!node.isTextual()) {
      return scope.fail(
          parse
              + "expected a string of "
              + (kind == Kind.JSON ? "JSON text" : "base64")
              + ", found "
              + AuditEventJson.kind(node));
    }
    try {
      if (kind == Kind.JSON) {
        try (JsonParser p = ProjectedReader.FACTORY.createParser(node.textValue())) {
          return parse(scope, p, parse);
        }
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(node.textValue());
      } catch (IllegalArgumentException e) {
        return scope.fail(parse + "expected a string of base64, found a string that is not base64");
      }
      try (JsonParser p = ProjectedReader.FACTORY.createParser(bytes)) {
        return parse(scope, p, parse);
      }
    } catch (StreamConstraintsException e) {
      String why = e.getOriginalMessage();
      int cut = why.indexOf(" (");
      return scope.fail(
          parse
              + "expected JSON text within the parser's limits, found text that is not: "
              + (cut < 0 ? why : why.substring(0, cut)));
    } catch (JsonProcessingException e) {
      // Only where, never Jackson's message: it quotes the record's characters.
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      return scope.fail(
          parse + "expected JSON text, found a string that is not valid JSON" + where);
    } catch (IOException e) {
      return scope.fail(parse + "expected JSON text, found a string that cannot be read");
    }
  }

  private JsonNode parse(Scope scope, JsonParser p, String parse) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      return scope.fail(parse + "expected JSON text, found an empty string");
    }
    JsonNode value = ProjectedReader.value(p, t, read);
    if (p.nextToken() != null) {
      return scope.fail(parse + "expected one JSON value, found more text after it");
    }
    return value;
  }

  @Override
  public String toString() {
    return pointer;
  }
}
