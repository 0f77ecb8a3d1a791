package io.auditpipe.core.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonPointerPathTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode resolve(String pointer, String json) throws Exception {
    return JsonPointerPath.parse(pointer).path().orElseThrow().resolve(MAPPER.readTree(json));
  }

  @Test
  void walksObjectsAndArrays() throws Exception {
    String doc = "{\"a\":{\"b\":[10,{\"c\":\"x\"}]},\"\":1,\"a/b\":2,\"m~n\":3,\"0\":4}";
    assertThat(resolve("", doc)).isEqualTo(MAPPER.readTree(doc));
    assertThat(resolve("/a/b/0", doc).intValue()).isEqualTo(10);
    assertThat(resolve("/a/b/1/c", doc).textValue()).isEqualTo("x");
    assertThat(resolve("/", doc).intValue()).isEqualTo(1);
    assertThat(resolve("/a~1b", doc).intValue()).isEqualTo(2);
    assertThat(resolve("/m~0n", doc).intValue()).isEqualTo(3);
    assertThat(resolve("/0", doc).intValue()).isEqualTo(4);
  }

  @Test
  void absentPathsResolveToNull() throws Exception {
    String doc = "{\"a\":[1,2],\"s\":\"text\"}";
    assertThat(resolve("/missing", doc)).isNull();
    assertThat(resolve("/a/2", doc)).isNull();
    assertThat(resolve("/a/01", doc)).as("leading zero is not an index").isNull();
    assertThat(resolve("/a/-", doc)).isNull();
    assertThat(resolve("/a/x", doc)).isNull();
    assertThat(resolve("/s/0", doc)).as("no stepping into a string").isNull();
    assertThat(resolve("/a/99999999999", doc)).isNull();
  }

  @Test
  void rejectsInvalidPointers() {
    assertThat(JsonPointerPath.parse("a/b").error()).contains("starting with \"/\"");
    assertThat(JsonPointerPath.parse("/a~").error()).contains("invalid escape at character 2");
    assertThat(JsonPointerPath.parse("/a~2").path()).isEmpty();
  }
}
