package io.auditpipe.connect.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds the rules of a (valid) rules document that select none of the topics the connector consumes
 * ({@code topics} or {@code topics.regex}): under {@code unmatched: skip} such a rule would drop
 * its records without a trace. A rule's {@code topic_pattern} against a {@code topics.regex} cannot
 * be decided in general and passes.
 */
public final class RuleTopicsCheck {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RuleTopicsCheck() {}

  /**
   * One message per rule that selects none of the consumed topics.
   *
   * @param topics the connector's {@code topics} (empty when it uses {@code topics.regex})
   * @param topicsRegex the connector's {@code topics.regex}, if set
   */
  public static List<String> unconsumedRules(
      String rulesDocument, List<String> topics, Optional<String> topicsRegex) {
    JsonNode rules;
    try {
      rules = MAPPER.readTree(rulesDocument).path("rules");
    } catch (IOException e) {
      return List.of(); // the compiler reports a broken document
    }
    Optional<Pattern> consumed;
    try {
      consumed = topicsRegex.filter(r -> !r.isBlank()).map(Pattern::compile);
    } catch (PatternSyntaxException e) {
      return List.of(); // Connect reports a broken topics.regex
    }
    String consumes =
        consumed
            .map(p -> "topics.regex=" + p.pattern())
            .orElse("topics=" + String.join(",", topics));
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      String name = rule.path("name").asText("");
      JsonNode exact = rule.path("topics");
      JsonNode pattern = rule.path("topic_pattern");
      if (exact.isArray() && exact.size() > 0) {
        List<String> names = new ArrayList<>();
        exact.forEach(t -> names.add(t.asText()));
        boolean selected =
            names.stream()
                .anyMatch(
                    t ->
                        topics.contains(t)
                            || consumed.map(p -> p.matcher(t).matches()).orElse(false));
        if (!selected) {
          problems.add(
              describe(i, name)
                  + " selects topics "
                  + names
                  + ", none of which the connector consumes ("
                  + consumes
                  + "): add them to the connector's topics or correct the rule");
        }
      } else if (pattern.isTextual() && consumed.isEmpty()) {
        Pattern p;
        try {
          p = Pattern.compile(pattern.asText());
        } catch (PatternSyntaxException e) {
          continue; // the compiler reports it
        }
        if (topics.stream().noneMatch(t -> p.matcher(t).matches())) {
          problems.add(
              describe(i, name)
                  + " selects topic_pattern "
                  + p.pattern()
                  + ", which matches none of the topics the connector consumes ("
                  + consumes
                  + "): add a matching topic to the connector's topics or correct the rule");
        }
      }
    }
    return problems;
  }

  private static String describe(int index, String name) {
    return "rules[" + index + "]" + (name.isEmpty() ? "" : " (\"" + name + "\")");
  }
}
