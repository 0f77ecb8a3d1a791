package io.auditpipe.core.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/**
 * Says why text is not the JSON expected, in words for a person: Jackson's messages name its own
 * features and classes ({@code DeserializationFeature.FAIL_ON_TRAILING_TOKENS}, {@code [Source:
 * REDACTED …]}), which mean nothing to someone fixing a file.
 */
public final class JsonProblems {

  private static final Pattern SOURCE = Pattern.compile("\\s*\\(?\\[Source: [^\\]]*\\][^)]*\\)?");
  private static final Pattern BACKTICKED_CLASS = Pattern.compile("\\s*\\(bound as `[^`]*`\\)");
  private static final Pattern FEATURE_NOTE =
      Pattern.compile(
          ":? *(not allowed as per|\\(?enable|\\(?disable)[^`]*`[A-Za-z]+Feature\\.[A-Z_]+`.*$");

  private JsonProblems() {}

  /**
   * What is wrong, without where: e.g. {@code Unexpected end-of-input: expected close marker for
   * Object}, or {@code expected one JSON value, found more text after it}.
   */
  public static String reason(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null || message.isBlank()) {
      return "not valid JSON";
    }
    message = message.lines().findFirst().orElse("");
    if (message.startsWith("Trailing token")) {
      return "expected one JSON value, found more text after it";
    }
    int startMarker = message.indexOf(" (start marker");
    if (startMarker >= 0) {
      message = message.substring(0, startMarker);
    }
    message = SOURCE.matcher(message).replaceAll("");
    message = BACKTICKED_CLASS.matcher(message).replaceAll("");
    message = FEATURE_NOTE.matcher(message).replaceAll("");
    return message.strip();
  }

  /** {@link #reason} followed by where, when known: {@code … at line 3, column 7}. */
  public static String describe(JsonProcessingException e) {
    JsonLocation l = e.getLocation();
    String where =
        l == null || l.getLineNr() < 1
            ? ""
            : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    return reason(e) + where;
  }
}
