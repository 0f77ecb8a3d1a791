package io.auditpipe.core.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a {@link ReadPlan} reads: leaves at root paths, rows for {@code for_each} arrays. */
class ReadPlanTest {

  private static JsonPointerPath path(String pointer) {
    return JsonPointerPath.parse(pointer).path().orElseThrow();
  }

  @Test
  void readsLeavesAndForEachRowsWithoutATree() throws Exception {
    ReadPaths read = new ReadPaths();
    read.add(path("/user/id").segments());
    ReadPaths element = read.elementsOf(path("/items").segments());
    element.add(path("/sku").segments());
    ReadPlan plan =
        ReadPlan.of(
            read,
            List.of(path("/user/id"), path("/items")),
            Map.of(element, List.of(path("/sku"))));

    Object[] values =
        plan.read(
            ("{\"skip\":{\"a\":[1,2]},\"user\":{\"id\":7,\"pw\":\"x\"},"
                    + "\"items\":[{\"sku\":\"a\",\"n\":1},{\"n\":2},5]}")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(plan.readsWholeDocument()).isFalse();
    assertThat(values[0]).isEqualTo(IntNode.valueOf(7));
    assertThat(values[1]).isInstanceOf(ReadPlan.Rows.class);
    Object[][] rows = ((ReadPlan.Rows) values[1]).rows();
    assertThat(rows).hasNumberOfRows(3);
    assertThat(rows[0]).containsExactly(TextNode.valueOf("a"));
    assertThat(rows[1]).containsExactly((Object) null);
    assertThat(rows[2]).containsExactly((Object) null);
  }

  @Test
  void aForEachValueThatIsNotAnArrayIsBuiltAsANode() throws Exception {
    ReadPaths read = new ReadPaths();
    ReadPaths element = read.elementsOf(path("/items").segments());
    element.add(path("/sku").segments());
    ReadPlan plan =
        ReadPlan.of(read, List.of(path("/items")), Map.of(element, List.of(path("/sku"))));

    assertThat(plan.read("{\"items\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
        .containsExactly(TextNode.valueOf("x"));
  }

  @Test
  void aDocumentReadWholeIsMappedAsATree() {
    ReadPaths read = new ReadPaths();
    read.markWhole();
    assertThat(ReadPlan.of(read, List.of(), Map.of()).readsWholeDocument()).isTrue();
  }
}
