package io.auditpipe.core.rules.compile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.auditpipe.core.model.WorkOsLimits;
import io.auditpipe.core.rules.OrganizationResolver;
import io.auditpipe.core.rules.ValueShape;
import io.auditpipe.core.rules.eval.CoalesceValue;
import io.auditpipe.core.rules.eval.DefaultValue;
import io.auditpipe.core.rules.eval.ExternalIdValue;
import io.auditpipe.core.rules.eval.FunctionValue;
import io.auditpipe.core.rules.eval.HeaderValue;
import io.auditpipe.core.rules.eval.JoinValue;
import io.auditpipe.core.rules.eval.JsonPointerPath;
import io.auditpipe.core.rules.eval.JsonataExpression;
import io.auditpipe.core.rules.eval.JsonataValue;
import io.auditpipe.core.rules.eval.KeyValue;
import io.auditpipe.core.rules.eval.Literal;
import io.auditpipe.core.rules.eval.LookupValue;
import io.auditpipe.core.rules.eval.PathValue;
import io.auditpipe.core.rules.eval.ReadPaths;
import io.auditpipe.core.rules.eval.RecordField;
import io.auditpipe.core.rules.eval.RootPath;
import io.auditpipe.core.rules.eval.StringFunction;
import io.auditpipe.core.rules.eval.TemplateValue;
import io.auditpipe.core.rules.eval.TimestampChoice;
import io.auditpipe.core.rules.eval.TimestampFormat;
import io.auditpipe.core.rules.eval.TimestampParser;
import io.auditpipe.core.rules.eval.TimestampValue;
import io.auditpipe.core.rules.eval.Value;
import io.auditpipe.core.rules.eval.View;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Compiles value specifications (literals, templates, paths, functions, …) into {@link Value}s. */
final class ValueCompiler {

  static final List<String> SOURCES =
      List.of(
          "path",
          "root",
          "key",
          "header",
          "record",
          "literal",
          "coalesce",
          "lookup",
          "external_id",
          "jsonata");
  static final List<String> MODIFIERS = List.of("optional", "default", "join", "fn", "timestamp");

  private static final Pattern HEADER_NAME = Pattern.compile("[^\\s{}]+");

  private final Problems problems;
  private final OrganizationResolver resolver;
  private final JsonataExpression.Bounds bounds;
  private final ReadPaths read;
  private ReadPaths base;
  private final Map<String, RootPath> rootPaths = new HashMap<>();
  // Declared views in document order, and the paths compiled into them.
  private final List<Declared> views = new ArrayList<>();
  private final Map<String, RootPath> viewPaths = new HashMap<>();
  private Map<String, Map<String, JsonNode>> tables = Map.of();

  /** A view and the pointer it is declared at. */
  private record Declared(JsonPointerPath pointer, View view, ReadPaths read) {}

  /**
   * A compiled value, whether a missing value leaves its field out, and what the document says of
   * it: its {@link ValueShape} and whether it resolves an external id.
   */
  record Compiled(Value value, boolean optional, ValueShape shape, boolean usesExternalId) {}

  ValueCompiler(
      Problems problems,
      OrganizationResolver resolver,
      JsonataExpression.Bounds bounds,
      ReadPaths read) {
    this.problems = problems;
    this.resolver = resolver;
    this.bounds = bounds;
    this.read = read;
    this.base = read;
  }

  /**
   * Relative paths compiled from now on read the elements of a {@code for_each} array ({@code
   * null}: the record's root again).
   */
  void forEachElementsOf(JsonPointerPath array) {
    Declared view = array == null ? null : viewOf(array);
    if (view != null) {
      base =
          view.read()
              .elementsOf(
                  array
                      .segments()
                      .subList(view.pointer().segments().size(), array.segments().size()));
    } else {
      base = array == null ? read : read.elementsOf(array.segments());
    }
  }

  private Value readPath(JsonPointerPath path, boolean fromRoot) {
    if (fromRoot || base == read) {
      return PathValue.ofRoot(readRootPath(path));
    }
    base.add(path.segments());
    return PathValue.ofElement(path);
  }

  /** A path from the record's root the rules read whole: from the record, or into a view. */
  RootPath readRootPath(JsonPointerPath path) {
    Declared view = viewOf(path);
    if (view != null) {
      view.read()
          .add(path.segments().subList(view.pointer().segments().size(), path.segments().size()));
    } else {
      read.add(path.segments());
    }
    return rootPath(path);
  }

  /** A path from the record's root; a path into a view is resolved below the view's node. */
  RootPath rootPath(JsonPointerPath path) {
    Declared view = viewOf(path);
    if (view != null) {
      return viewPaths.computeIfAbsent(
          path.toString(),
          k -> RootPath.intoView(path, view.view(), path.suffix(view.pointer().segments().size())));
    }
    return rootPaths.computeIfAbsent(path.toString(), k -> new RootPath(path));
  }

  /** The innermost declared view {@code path} leads into, or {@code null}. */
  private Declared viewOf(JsonPointerPath path) {
    Declared found = null;
    for (Declared d : views) {
      if (isPrefix(d.pointer(), path)
          && (found == null || d.pointer().segments().size() > found.pointer().segments().size())) {
        found = d;
      }
    }
    return found;
  }

  private static boolean isPrefix(JsonPointerPath prefix, JsonPointerPath path) {
    List<String> p = prefix.segments();
    List<String> s = path.segments();
    return p.size() <= s.size() && s.subList(0, p.size()).equals(p);
  }

  /**
   * Declares the view at {@code pointer}: {@code sources} are read through the views declared
   * before it; from now on every path below {@code pointer} reads into it.
   *
   * @return the name of an earlier view whose own source this one would shadow, or empty
   */
  Optional<String> declareView(
      JsonPointerPath pointer, View.Kind kind, List<JsonPointerPath> sources, int id, int count) {
    for (Declared d : views) {
      if (isPrefix(pointer, d.pointer()) && !pointer.segments().equals(d.pointer().segments())) {
        return Optional.of(d.pointer().toString());
      }
    }
    List<RootPath> read = new ArrayList<>();
    for (JsonPointerPath source : sources) {
      read.add(readRootPath(source));
    }
    ReadPaths below = new ReadPaths();
    views.add(
        new Declared(pointer, new View(pointer.toString(), id, count, kind, read, below), below));
    return Optional.empty();
  }

  /** The document's named lookup tables, for {@code "table": "name"}. */
  void tables(Map<String, Map<String, JsonNode>> named) {
    this.tables = Map.copyOf(named);
  }

  /** The entries of a lookup table (an object of scalars), reporting what is not. */
  Map<String, JsonNode> table(JsonNode table, At tableAt) {
    Map<String, JsonNode> entries = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
        problems.expected(tableAt.key(e.getKey()), "a string, number or boolean", v);
      } else {
        entries.put(e.getKey(), v);
      }
    }
    return Map.copyOf(entries);
  }

  /**
   * Compiles an {@code organization_id} value. With lookups at delivery, {@code {"external_id": v}}
   * compiles to {@link ExternalIdValue#atDelivery}: the event carries the external id.
   */
  Optional<Compiled> organization(JsonNode node, At at) {
    if (resolver != OrganizationResolver.atDelivery()
        || !node.isObject()
        || !node.has("external_id")) {
      return compile(node, at, false, Set.of());
    }
    if (node.size() != 1) {
      List<String> others = new ArrayList<>();
      node.fieldNames().forEachRemaining(others::add);
      others.remove("external_id");
      problems.add(
          at,
          "with organization lookups at delivery (the connector), {\"external_id\": …} is the"
              + " whole organization_id value; remove "
              + String.join(", ", others));
      return Optional.empty();
    }
    return compile(node.get("external_id"), at.key("external_id"), false, Set.of())
        .map(
            c ->
                new Compiled(
                    ExternalIdValue.atDelivery(c.value()), false, ValueShapes.externalId(), true));
  }

  /**
   * Compiles the value at {@code at}; empty after reporting problems.
   *
   * @param optionalAllowed whether this field may be left out when its value is missing
   * @param extraKeys keys of the same object that belong to the caller (a condition's operator)
   */
  Optional<Compiled> compile(JsonNode node, At at, boolean optionalAllowed, Set<String> extraKeys) {
    if (node.isTextual()) {
      return template(node.textValue(), at)
          .map(
              v ->
                  new Compiled(
                      v,
                      false,
                      ValueShapes.template(
                          v instanceof Literal l
                              ? Optional.of(l.node().textValue())
                              : Optional.empty()),
                      false));
    }
    if (node.isNumber() || node.isBoolean()) {
      return Optional.of(
          new Compiled(new Literal(node), false, new ValueShapes(tables).of(node, false), false));
    }
    if (!node.isObject()) {
      problems.expected(
          at, "a literal, a template string or an object such as {\"path\": \"/user/id\"}", node);
      return Optional.empty();
    }
    int before = problems.count();
    Set<String> allowed = new LinkedHashSet<>(SOURCES);
    allowed.addAll(MODIFIERS);
    allowed.addAll(extraKeys);
    boolean isLookup = node.has("lookup");
    if (isLookup) {
      allowed.add("table");
    }
    problems.unknownKeys(node, at, allowed);
    List<String> sources = new ArrayList<>();
    for (String s : SOURCES) {
      if (node.has(s)) {
        sources.add(s);
      }
    }
    if (sources.isEmpty()) {
      problems.add(at, "expected exactly one of " + String.join(", ", SOURCES) + ", found none");
      return Optional.empty();
    }
    if (sources.size() > 1) {
      problems.add(
          at,
          "expected exactly one of "
              + String.join(", ", SOURCES)
              + ", found "
              + String.join(" and ", sources));
      return Optional.empty();
    }
    String source = sources.get(0);
    Value value = source(source, node.get(source), at.key(source), node, at);
    boolean optional = false;
    JsonNode optionalNode = node.get("optional");
    if (optionalNode != null) {
      if (!optionalNode.isBoolean()) {
        problems.expected(at.key("optional"), "true or false", optionalNode);
      } else if (optionalNode.booleanValue() && !optionalAllowed) {
        problems.add(
            at.key("optional"),
            "this field is required by WorkOS or has no meaning when absent; remove \"optional\"");
      } else {
        optional = optionalNode.booleanValue();
      }
    }
    JsonNode fallback = node.get("default");
    if (fallback != null) {
      if (!(fallback.isTextual() || fallback.isNumber() || fallback.isBoolean())) {
        problems.expected(at.key("default"), "a string, number or boolean", fallback);
      } else if (value != null) {
        value = new DefaultValue(value, fallback);
      }
    }
    JsonNode join = node.get("join");
    if (join != null) {
      Value joined = join(join, at.key("join"), value);
      value = value == null ? null : joined;
    }
    JsonNode fn = node.get("fn");
    if (fn != null) {
      for (StringFunction f : functions(fn, at.key("fn"))) {
        if (value != null) {
          value = new FunctionValue(value, f);
        }
      }
    }
    JsonNode ts = node.get("timestamp");
    if (ts != null) {
      Optional<TimestampParser> parser = timestamp(ts, at.key("timestamp"));
      if (parser.isPresent() && value != null) {
        value = new TimestampValue(value, parser.get());
      }
    }
    if (problems.count() > before || value == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Compiled(
            value,
            optional,
            new ValueShapes(tables).of(node, optional),
            ValueShapes.usesExternalId(node)));
  }

  private Value source(String source, JsonNode arg, At at, JsonNode spec, At specAt) {
    switch (source) {
      case "path", "root" -> {
        return pointer(arg, at).map(p -> readPath(p, source.equals("root"))).orElse(null);
      }
      case "key" -> {
        return pointer(arg, at).map(p -> (Value) new KeyValue(p)).orElse(null);
      }
      case "header" -> {
        if (!arg.isTextual() || arg.textValue().isEmpty()) {
          problems.expected(at, "a header name", arg);
          return null;
        }
        return new HeaderValue(arg.textValue());
      }
      case "record" -> {
        return recordField(arg, at);
      }
      case "literal" -> {
        if (!(arg.isTextual() || arg.isNumber() || arg.isBoolean())) {
          problems.expected(at, "a string, number or boolean", arg);
          return null;
        }
        return new Literal(arg);
      }
      case "coalesce" -> {
        if (!arg.isArray() || arg.isEmpty()) {
          problems.expected(at, "a non-empty array of values", arg);
          return null;
        }
        List<Value> values = new ArrayList<>();
        for (int i = 0; i < arg.size(); i++) {
          compile(arg.get(i), at.index(i), false, Set.of()).ifPresent(c -> values.add(c.value()));
        }
        return values.size() == arg.size() ? new CoalesceValue(values) : null;
      }
      case "lookup" -> {
        Optional<Compiled> key = compile(arg, at, false, Set.of());
        JsonNode table = spec.get("table");
        At tableAt = specAt.key("table");
        if (table == null) {
          problems.add(
              specAt,
              "\"lookup\" needs a \"table\": an object mapping values to results, or the name"
                  + " of one of the document's \"tables\"");
          return null;
        }
        Map<String, JsonNode> entries;
        if (table.isTextual()) {
          entries = tables.get(table.textValue());
          if (entries == null) {
            problems.add(
                tableAt,
                "unknown table \""
                    + table.textValue()
                    + "\"; "
                    + (tables.isEmpty()
                        ? "the document declares no \"tables\""
                        : "expected one of: " + String.join(", ", new TreeSet<>(tables.keySet()))));
            return null;
          }
        } else if (!table.isObject()) {
          problems.expected(tableAt, "an object mapping values to results, or a table name", table);
          return null;
        } else {
          entries = table(table, tableAt);
        }
        return key.map(k -> (Value) new LookupValue(k.value(), entries)).orElse(null);
      }
      case "external_id" -> {
        if (resolver == OrganizationResolver.atDelivery()) {
          problems.add(
              at,
              "with organization lookups at delivery (the connector), external_id is allowed only"
                  + " as the whole organization_id value, e.g. \"organization_id\":"
                  + " {\"external_id\": \"{/tenant}\"}");
          return null;
        }
        return compile(arg, at, false, Set.of())
            .map(c -> (Value) new ExternalIdValue(c.value(), resolver))
            .orElse(null);
      }
      case "jsonata" -> {
        return jsonata(arg, at).map(e -> (Value) new JsonataValue(e)).orElse(null);
      }
      default -> throw new IllegalStateException("unhandled source " + source);
    }
  }

  /**
   * {@code "join": ", "} or {@code {"separator": ", ", "limit": 200}}; the value when valid, else
   * {@code null} after reporting.
   */
  private Value join(JsonNode join, At at, Value value) {
    String separator;
    int limit = 0;
    if (join.isTextual()) {
      separator = join.textValue();
    } else if (join.isObject()) {
      problems.unknownKeys(join, at, new LinkedHashSet<>(List.of("separator", "limit")));
      JsonNode sep = join.get("separator");
      if (sep == null) {
        problems.add(at, "missing \"separator\", e.g. {\"separator\": \", \", \"limit\": 200}");
        return null;
      }
      if (!sep.isTextual()) {
        problems.expected(at.key("separator"), "a separator string such as \", \"", sep);
        return null;
      }
      separator = sep.textValue();
      JsonNode l = join.get("limit");
      if (l != null) {
        if (!l.isIntegralNumber()
            || l.intValue() < 1
            || l.intValue() > WorkOsLimits.MAX_METADATA_STRING_LENGTH) {
          problems.add(
              at.key("limit"),
              "expected an integer from 1 to "
                  + WorkOsLimits.MAX_METADATA_STRING_LENGTH
                  + " (characters; WorkOS's limit of a metadata string), found "
                  + (l.isNumber() ? l.asText() : describe(l)));
          return null;
        }
        limit = l.intValue();
      }
    } else {
      problems.expected(
          at, "a separator string, or an object {\"separator\": …, \"limit\": …}", join);
      return null;
    }
    return value == null ? null : new JoinValue(value, separator, limit);
  }

  /** A format name, an array of them tried in order, or {@code {"auto": "epoch_…"}}. */
  private Optional<TimestampParser> timestamp(JsonNode ts, At at) {
    String names =
        Arrays.stream(TimestampFormat.values())
            .map(TimestampFormat::externalName)
            .collect(Collectors.joining(", "));
    if (ts.isTextual()) {
      Optional<TimestampFormat> format = TimestampFormat.byName(ts.textValue());
      if (format.isEmpty()) {
        problems.add(at, "expected one of " + names + ", found " + describe(ts));
      }
      return format.map(f -> f);
    }
    if (ts.isArray() && !ts.isEmpty()) {
      List<TimestampFormat> formats = new ArrayList<>();
      for (int i = 0; i < ts.size(); i++) {
        JsonNode n = ts.get(i);
        Optional<TimestampFormat> f =
            n.isTextual() ? TimestampFormat.byName(n.textValue()) : Optional.empty();
        if (f.isEmpty()) {
          problems.add(at.index(i), "expected one of " + names + ", found " + describe(n));
        } else if (formats.contains(f.get())) {
          problems.add(at.index(i), "format " + describe(n) + " is listed twice");
        } else {
          formats.add(f.get());
        }
      }
      return formats.size() == ts.size()
          ? Optional.of(TimestampChoice.inOrder(formats))
          : Optional.empty();
    }
    if (ts.isObject()) {
      problems.unknownKeys(ts, at, new LinkedHashSet<>(List.of("auto")));
      JsonNode unit = ts.get("auto");
      Optional<TimestampFormat> f =
          unit != null && unit.isTextual()
              ? TimestampFormat.byName(unit.textValue())
              : Optional.empty();
      if (f.isEmpty() || f.get() == TimestampFormat.ISO8601) {
        problems.add(
            at.key("auto"),
            "expected the unit of epoch numbers, one of epoch_seconds, epoch_millis, epoch_micros,"
                + " epoch_nanos, found "
                + (unit == null ? "none" : describe(unit)));
        return Optional.empty();
      }
      return Optional.of(TimestampChoice.auto(f.get()));
    }
    problems.add(
        at,
        "expected one of "
            + names
            + ", a non-empty array of them (tried in order), or {\"auto\": \"epoch_millis\"},"
            + " found "
            + describe(ts));
    return Optional.empty();
  }

  Optional<JsonataExpression> jsonata(JsonNode arg, At at) {
    if (!arg.isTextual() || arg.textValue().isBlank()) {
      problems.expected(at, "a JSONata expression string", arg);
      return Optional.empty();
    }
    // JSONata may read any part of the record.
    read.markWhole();
    try {
      return Optional.of(JsonataExpression.parse(arg.textValue(), bounds));
    } catch (IllegalArgumentException e) {
      problems.add(at, e.getMessage());
      return Optional.empty();
    }
  }

  Optional<JsonPointerPath> pointer(JsonNode arg, At at) {
    if (!arg.isTextual()) {
      problems.expected(at, "a JSON Pointer string such as \"/user/id\"", arg);
      return Optional.empty();
    }
    JsonPointerPath.Parsed parsed = JsonPointerPath.parse(arg.textValue());
    if (parsed.path().isEmpty()) {
      problems.add(at, "path \"" + arg.textValue() + "\": " + parsed.error());
    }
    return parsed.path();
  }

  private Value recordField(JsonNode arg, At at) {
    if (arg.isTextual()) {
      for (RecordField f : RecordField.values()) {
        if (f.externalName().equals(arg.textValue())) {
          return f;
        }
      }
    }
    problems.add(at, "expected one of topic, partition, offset, timestamp, found " + describe(arg));
    return null;
  }

  private List<StringFunction> functions(JsonNode fn, At at) {
    List<StringFunction> out = new ArrayList<>();
    if (fn.isTextual()) {
      function(fn, at).ifPresent(out::add);
    } else if (fn.isArray() && !fn.isEmpty()) {
      for (int i = 0; i < fn.size(); i++) {
        function(fn.get(i), at.index(i)).ifPresent(out::add);
      }
    } else {
      problems.expected(at, "a function name or a non-empty array of them", fn);
    }
    return out;
  }

  private Optional<StringFunction> function(JsonNode name, At at) {
    Optional<StringFunction> f =
        name.isTextual() ? StringFunction.byName(name.textValue()) : Optional.empty();
    if (f.isEmpty()) {
      problems.add(
          at,
          "unknown function "
              + describe(name)
              + "; expected one of "
              + Arrays.stream(StringFunction.values())
                  .map(StringFunction::externalName)
                  .collect(Collectors.joining(", ")));
    }
    return f;
  }

  /** Parses a template string: text with {@code {/pointer}} parts; {@code {{ }}} escape braces. */
  Optional<Value> template(String text, At at) {
    if (text.indexOf('{') < 0) {
      return Optional.of(new Literal(TextNode.valueOf(text)));
    }
    List<String> literals = new ArrayList<>();
    List<Value> values = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        literal.append('{');
        i += 2;
      } else if (c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
        literal.append('}');
        i += 2;
      } else if (c == '}') {
        problems.add(
            at,
            "template: unmatched \"}\" at character " + i + " (write \"}}\" for a literal brace)");
        return Optional.empty();
      } else if (c == '{') {
        int end = text.indexOf('}', i + 1);
        if (end < 0) {
          problems.add(
              at,
              "template: \"{\" at character "
                  + i
                  + " is never closed (write \"{{\" for a literal brace)");
          return Optional.empty();
        }
        Optional<Value> part = templatePart(text.substring(i + 1, end), at, i);
        if (part.isEmpty()) {
          return Optional.empty();
        }
        literals.add(literal.toString());
        literal.setLength(0);
        values.add(part.get());
        i = end + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    literals.add(literal.toString());
    if (values.isEmpty()) {
      return Optional.of(new Literal(TextNode.valueOf(literals.get(0))));
    }
    return Optional.of(new TemplateValue(literals, values));
  }

  private Optional<Value> templatePart(String part, At at, int position) {
    String kind = "";
    String arg = part;
    int colon = part.indexOf(':');
    if (!part.startsWith("/") && colon > 0) {
      kind = part.substring(0, colon);
      arg = part.substring(colon + 1);
    }
    String problem = null;
    Value value = null;
    switch (kind) {
      case "", "root", "key" -> {
        if (kind.isEmpty() && !part.startsWith("/")) {
          problem =
              "expected {/pointer}, {root:/pointer}, {key:/pointer}, {header:name} or {record:topic|partition|offset|timestamp}";
          break;
        }
        JsonPointerPath.Parsed p = JsonPointerPath.parse(arg);
        if (p.path().isEmpty()) {
          problem = "path \"" + arg + "\": " + p.error();
        } else if (kind.equals("key")) {
          value = new KeyValue(p.path().get());
        } else {
          value = readPath(p.path().get(), kind.equals("root"));
        }
      }
      case "header" -> {
        if (!HEADER_NAME.matcher(arg).matches()) {
          problem = "expected a header name after \"header:\"";
        } else {
          value = new HeaderValue(arg);
        }
      }
      case "record" -> {
        for (RecordField f : RecordField.values()) {
          if (f.externalName().equals(arg)) {
            value = f;
          }
        }
        if (value == null) {
          problem = "expected record:topic, record:partition, record:offset or record:timestamp";
        }
      }
      default ->
          problem =
              "unknown part kind \""
                  + kind
                  + "\"; expected {/pointer}, {root:/pointer}, {key:/pointer}, {header:name} or {record:…}";
    }
    if (problem != null) {
      problems.add(at, "template: {" + part + "} at character " + position + ": " + problem);
      return Optional.empty();
    }
    return Optional.of(value);
  }

  private static String describe(JsonNode node) {
    return node.isTextual()
        ? "\"" + node.textValue() + "\""
        : io.auditpipe.core.model.AuditEventJson.kind(node);
  }
}
