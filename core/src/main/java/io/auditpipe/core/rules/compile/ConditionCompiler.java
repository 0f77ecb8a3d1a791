package io.auditpipe.core.rules.compile;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.rules.eval.Condition;
import io.auditpipe.core.rules.eval.Conditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Compiles {@code when} conditions. */
final class ConditionCompiler {

  private static final List<String> COMBINATORS = List.of("not", "all", "any", "jsonata");
  private static final List<String> OPERATORS = List.of("equals", "in", "exists", "matches");
  private static final Set<String> OPERATOR_SET = Set.copyOf(OPERATORS);

  private final Problems problems;
  private final ValueCompiler values;

  ConditionCompiler(Problems problems, ValueCompiler values) {
    this.problems = problems;
    this.values = values;
  }

  Optional<Condition> compile(JsonNode node, At at) {
    if (!node.isObject()) {
      problems.expected(
          at, "a condition object such as {\"path\": \"/type\", \"equals\": \"x\"}", node);
      return Optional.empty();
    }
    for (String c : COMBINATORS) {
      if (node.has(c)) {
        if (node.size() != 1) {
          problems.add(at, "\"" + c + "\" must be the only key of its condition object");
          return Optional.empty();
        }
        return combinator(c, node.get(c), at.key(c));
      }
    }
    List<String> ops = new ArrayList<>();
    for (String op : OPERATORS) {
      if (node.has(op)) {
        ops.add(op);
      }
    }
    if (ops.size() != 1) {
      problems.add(
          at,
          "expected exactly one operator of equals, in, exists, matches (or one of not, all, any,"
              + " jsonata), found "
              + (ops.isEmpty() ? "none" : String.join(" and ", ops)));
      return Optional.empty();
    }
    Optional<ValueCompiler.Compiled> subject = values.compile(node, at, false, OPERATOR_SET);
    String op = ops.get(0);
    JsonNode arg = node.get(op);
    At argAt = at.key(op);
    Optional<Condition> result =
        switch (op) {
          case "equals" -> {
            if (!isScalar(arg)) {
              problems.expected(argAt, "a string, number, boolean or null", arg);
              yield Optional.empty();
            }
            yield subject.map(s -> Conditions.equalTo(s.value(), arg));
          }
          case "in" -> {
            if (!arg.isArray() || arg.isEmpty()) {
              problems.expected(argAt, "a non-empty array of strings, numbers or booleans", arg);
              yield Optional.empty();
            }
            List<JsonNode> constants = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < arg.size(); i++) {
              if (!isScalar(arg.get(i))) {
                problems.expected(argAt.index(i), "a string, number, boolean or null", arg.get(i));
                ok = false;
              }
              constants.add(arg.get(i));
            }
            yield ok ? subject.map(s -> Conditions.in(s.value(), constants)) : Optional.empty();
          }
          case "exists" -> {
            if (!arg.isBoolean()) {
              problems.expected(argAt, "true or false", arg);
              yield Optional.empty();
            }
            yield subject.map(s -> Conditions.exists(s.value(), arg.booleanValue()));
          }
          case "matches" -> {
            Optional<Pattern> pattern = regex(arg, argAt, problems);
            yield pattern.flatMap(p -> subject.map(s -> Conditions.matches(s.value(), p)));
          }
          default -> throw new IllegalStateException(op);
        };
    return result;
  }

  private Optional<Condition> combinator(String c, JsonNode arg, At at) {
    switch (c) {
      case "not" -> {
        return compile(arg, at).map(Conditions::not);
      }
      case "jsonata" -> {
        return values.jsonata(arg, at).map(Conditions::jsonata);
      }
      default -> {
        if (!arg.isArray() || arg.isEmpty()) {
          problems.expected(at, "a non-empty array of conditions", arg);
          return Optional.empty();
        }
        List<Condition> conditions = new ArrayList<>();
        for (int i = 0; i < arg.size(); i++) {
          compile(arg.get(i), at.index(i)).ifPresent(conditions::add);
        }
        if (conditions.size() != arg.size()) {
          return Optional.empty();
        }
        return Optional.of(
            c.equals("all") ? Conditions.all(conditions) : Conditions.any(conditions));
      }
    }
  }

  static Optional<Pattern> regex(JsonNode arg, At at, Problems problems) {
    if (!arg.isTextual()) {
      problems.expected(at, "a regular expression string", arg);
      return Optional.empty();
    }
    try {
      return Optional.of(Pattern.compile(arg.textValue()));
    } catch (PatternSyntaxException e) {
      problems.add(
          at,
          "invalid regular expression: " + e.getDescription() + " near character " + e.getIndex());
      return Optional.empty();
    }
  }

  private static boolean isScalar(JsonNode n) {
    return n.isTextual() || n.isNumber() || n.isBoolean() || n.isNull();
  }
}
