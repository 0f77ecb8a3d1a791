package io.auditpipe.core.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.core.rules.RecordContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonPointerPath pointer(String text) {
    return JsonPointerPath.parse(text).path().orElseThrow();
  }

  private static View parseAt(String at, ReadPaths read) {
    return new View(at, 0, 1, View.Kind.JSON, List.of(new RootPath(pointer(at))), read);
  }

  @Test
  void parsesOncePerRecordHoweverManyPathsReadIt() throws Exception {
    ReadPaths read = new ReadPaths();
    read.markWhole();
    View view = parseAt("/payload", read);
    JsonNode record =
        MAPPER.readTree("{\"payload\": \"{\\\"a\\\": {\\\"b\\\": 1}, \\\"c\\\": 2}\"}");
    Scope scope = new Scope(record, RecordContext.of("t", 0, 0));

    JsonNode b = scope.rootPath(RootPath.intoView(pointer("/payload/a/b"), view, pointer("/a/b")));
    JsonNode c = scope.rootPath(RootPath.intoView(pointer("/payload/c"), view, pointer("/c")));
    JsonNode whole = scope.rootPath(RootPath.intoView(pointer("/payload"), view, pointer("")));

    assertThat(b.intValue()).isEqualTo(1);
    assertThat(c.intValue()).isEqualTo(2);
    // The same tree: the text was parsed once for the record.
    assertThat(whole.get("a").get("b")).isSameAs(b);
    assertThat(scope.failureCount()).isZero();
  }

  @Test
  void buildsOnlyWhatTheRulesReadBelowTheView() throws Exception {
    ReadPaths read = new ReadPaths();
    read.add(List.of("a", "b"));
    View view = parseAt("/payload", read);
    JsonNode record =
        MAPPER.readTree(
            "{\"payload\": \"{\\\"a\\\": {\\\"b\\\": 1, \\\"x\\\": 3}, \\\"c\\\": 2}\"}");
    Scope scope = new Scope(record, RecordContext.of("t", 0, 0));

    JsonNode whole = scope.rootPath(RootPath.intoView(pointer("/payload"), view, pointer("")));

    assertThat(whole.toString()).isEqualTo("{\"a\":{\"b\":1}}");
  }

  @Test
  void aFailureIsRecordedForEveryReaderAndReportedOncePerRule() throws Exception {
    ReadPaths read = new ReadPaths();
    read.markWhole();
    View view = parseAt("/payload", read);
    Scope scope =
        new Scope(MAPPER.readTree("{\"payload\": \"{not json\"}"), RecordContext.of("t", 0, 0));
    RootPath a = RootPath.intoView(pointer("/payload/a"), view, pointer("/a"));

    scope.at("r", "rules[0] \"r\" actor.id");
    assertThat(scope.rootPath(a)).isSameAs(Scope.FAILED);
    scope.at("r", "rules[0] \"r\" targets[0].id");
    assertThat(scope.rootPath(a)).isSameAs(Scope.FAILED);

    assertThat(scope.failureCount()).isEqualTo(2);
    assertThat(scope.failures()).hasSize(1);
    assertThat(scope.failures().get(0).location()).isEqualTo("rules[0] \"r\" actor.id");
    assertThat(scope.failures().get(0).reason())
        .startsWith("path \"/payload\" (views: parse json): expected JSON text")
        .endsWith("(1 more field of the rule read it)")
        .doesNotContain("not json");
  }
}
