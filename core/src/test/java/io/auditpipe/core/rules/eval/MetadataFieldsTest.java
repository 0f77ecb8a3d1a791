package io.auditpipe.core.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.rules.RecordContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataFieldsTest {

  private static Value path(String pointer) {
    return PathValue.ofElement(JsonPointerPath.parse(pointer).path().orElseThrow());
  }

  @Test
  void leftOutEntriesKeepTheOthersInOrder() throws Exception {
    MetadataFields fields =
        new MetadataFields(
            "r",
            List.of(
                new MetadataFields.Entry("a", "m.a", path("/a"), true),
                new MetadataFields.Entry("b", "m.b", path("/b"), true),
                new MetadataFields.Entry("c", "m.c", path("/c"), true),
                new MetadataFields.Entry("d", "m.d", path("/d"), true)),
            Policies.MetadataTooLong.REJECT);
    Scope scope =
        new Scope(
            new ObjectMapper().readTree("{\"b\": \"x\", \"d\": 4}"), RecordContext.of("t", 0, 0));

    assertThat(fields.eval(scope).values())
        .containsExactly(
            Map.entry("b", MetadataValue.of("x")), Map.entry("d", MetadataValue.of(4L)));
    assertThat(scope.failureCount()).isZero();
  }
}
