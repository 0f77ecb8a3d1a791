package io.auditpipe.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonProblemsTest {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static JsonProcessingException parse(String text) {
    return catchThrowableOfType(JsonProcessingException.class, () -> MAPPER.readTree(text));
  }

  @Test
  void truncatedJsonSaysWhatIsMissingWithoutJacksonInternals() {
    JsonProcessingException e = parse("{\"a\": {\"b\": 1}");

    assertThat(JsonProblems.reason(e))
        .isEqualTo("Unexpected end-of-input: expected close marker for Object");
    assertThat(JsonProblems.describe(e)).doesNotContain("Source", "StreamReadFeature", "REDACTED");
  }

  @Test
  void trailingTextSaysOneValueWasExpected() {
    JsonProcessingException e = parse("{\"a\": 1} {\"b\": 2}");

    assertThat(JsonProblems.reason(e))
        .isEqualTo("expected one JSON value, found more text after it");
  }

  @Test
  void describeNamesLineAndColumn() {
    JsonProcessingException e = parse("{\n  \"a\": nope\n}");

    assertThat(JsonProblems.describe(e))
        .startsWith("Unrecognized token 'nope'")
        .endsWith("at line 2, column 8")
        .doesNotContain("Feature", "Source", "`");
  }
}
