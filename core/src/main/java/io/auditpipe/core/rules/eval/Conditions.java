package io.auditpipe.core.rules.eval;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The condition forms of the rules language. */
public final class Conditions {

  /** Characters a {@code matches} may read: generous for linear patterns, fatal to runaway ones. */
  private static final int REGEX_BUDGET_BASE = 100_000;

  private Conditions() {}

  /** Subject equal to a constant: numbers compare by value ({@code 1 == 1.0}), others exactly. */
  public static Condition equalTo(Value subject, JsonNode constant) {
    Constant c = new Constant(constant);
    return scope -> {
      JsonNode node = subject.eval(scope);
      if (Scope.failed(node)) {
        return false;
      }
      return node == null ? constant.isNull() : c.matches(node);
    };
  }

  /** Subject equal to one of several constants. */
  public static Condition in(Value subject, List<JsonNode> constants) {
    Set<String> strings = new HashSet<>();
    List<Constant> others = new ArrayList<>();
    boolean nullAllowed = false;
    for (JsonNode n : constants) {
      if (n.isTextual()) {
        strings.add(n.textValue());
      } else if (n.isNull()) {
        nullAllowed = true;
      } else {
        others.add(new Constant(n));
      }
    }
    boolean matchesAbsent = nullAllowed;
    return scope -> {
      JsonNode node = subject.eval(scope);
      if (Scope.failed(node)) {
        return false;
      }
      if (node == null) {
        return matchesAbsent;
      }
      if (node.isTextual()) {
        return strings.contains(node.textValue());
      }
      for (Constant c : others) {
        if (c.matches(node)) {
          return true;
        }
      }
      return false;
    };
  }

  /** Subject present (and not null), or absent when {@code expected} is false. */
  public static Condition exists(Value subject, boolean expected) {
    return scope -> {
      JsonNode node = subject.eval(scope);
      return !Scope.failed(node) && (node != null) == expected;
    };
  }

  /**
   * Subject's text contains a match of the pattern (use {@code ^…$} to anchor). Numbers and
   * booleans are matched in their JSON form; objects and arrays never match.
   */
  public static Condition matches(Value subject, Pattern pattern) {
    return scope -> {
      JsonNode node = subject.eval(scope);
      if (node == null || Scope.failed(node)) {
        return false;
      }
      String text =
          node.isTextual()
              ? node.textValue()
              : node.isNumber() || node.isBoolean() ? node.asText() : null;
      if (text == null) {
        return false;
      }
      try {
        return pattern.matcher(BoundedText.of(text, REGEX_BUDGET_BASE + 64 * text.length())).find();
      } catch (BoundedText.BudgetExceeded e) {
        scope.fail("regular expression of \"matches\" exceeded its step budget on this input");
        return false;
      }
    };
  }

  public static Condition not(Condition condition) {
    return scope -> !condition.test(scope);
  }

  public static Condition all(List<Condition> conditions) {
    Condition[] cs = conditions.toArray(new Condition[0]);
    return scope -> {
      for (Condition c : cs) {
        if (!c.test(scope)) {
          return false;
        }
      }
      return true;
    };
  }

  public static Condition any(List<Condition> conditions) {
    Condition[] cs = conditions.toArray(new Condition[0]);
    return scope -> {
      for (Condition c : cs) {
        if (c.test(scope)) {
          return true;
        }
      }
      return false;
    };
  }

  /** A JSONata expression, true when its result is truthy by JSONata's rules. */
  public static Condition jsonata(JsonataExpression expression) {
    return scope -> {
      Object result = expression.evaluate(scope);
      return result != Scope.FAILED && Jsonata.boolize(result);
    };
  }

  private static final class Constant {
    private final JsonNode node;
    private final BigDecimal number;

    Constant(JsonNode node) {
      this.node = node;
      this.number = node.isNumber() ? node.decimalValue() : null;
    }

    boolean matches(JsonNode candidate) {
      if (number != null) {
        return candidate.isNumber() && number.compareTo(candidate.decimalValue()) == 0;
      }
      return node.equals(candidate);
    }
  }
}
