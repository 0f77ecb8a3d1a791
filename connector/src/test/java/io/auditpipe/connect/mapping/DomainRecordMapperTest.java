package io.auditpipe.connect.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.connect.TestRecords;
import io.auditpipe.connect.TestRules;
import io.auditpipe.connect.config.NullValueBehavior;
import io.auditpipe.connect.convert.ConversionException;
import io.auditpipe.connect.convert.RecordValueConverter;
import io.auditpipe.core.deadletter.DeadLetter;
import io.auditpipe.core.deadletter.FailureStage;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.OrganizationResolver;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.core.rules.UnmatchedPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * JSON text or bytes are read by the rules, Connect's objects converted to a tree: both must give
 * the same dispositions, and bad JSON the dead letter the converter reports.
 */
class DomainRecordMapperTest {

  private static final String TOPIC = "orders";

  private final CompiledRules rules = rules("skip");
  private final DomainRecordMapper mapper =
      new DomainRecordMapper(rules, Optional.empty(), NullValueBehavior.SKIP);

  @Test
  void bytesTextAndBufferMapAsTheSameObjectAsAMap() throws Exception {
    byte[] json = TestRecords.orderPaid("org_1", "e-1", "12.5");
    @SuppressWarnings("unchecked")
    Map<String, Object> asMap = new ObjectMapper().readValue(json, Map.class);

    RecordDisposition fromMap = mapper.map(record(null, asMap));

    assertThat(fromMap).isInstanceOf(RecordDisposition.Deliver.class);
    assertThat(mapper.map(record(Schema.OPTIONAL_BYTES_SCHEMA, json))).isEqualTo(fromMap);
    assertThat(
            mapper.map(
                record(Schema.OPTIONAL_STRING_SCHEMA, new String(json, StandardCharsets.UTF_8))))
        .isEqualTo(fromMap);
    assertThat(mapper.map(record(Schema.OPTIONAL_BYTES_SCHEMA, ByteBuffer.wrap(json))))
        .isEqualTo(fromMap);
  }

  @Test
  void aConnectEnvelopeInTextIsReadAsItsPayloadAndANullPayloadIsATombstone() throws Exception {
    byte[] json = TestRecords.orderPaid("org_1", "e-1", "12.5");
    String envelope =
        "{\"schema\":null,\"payload\":" + new String(json, StandardCharsets.UTF_8) + "}";

    assertThat(mapper.map(record(Schema.OPTIONAL_STRING_SCHEMA, envelope)))
        .isEqualTo(mapper.map(record(Schema.OPTIONAL_BYTES_SCHEMA, json)));
    assertThat(
            new DomainRecordMapper(rules, Optional.empty(), NullValueBehavior.DLQ)
                .map(record(Schema.OPTIONAL_STRING_SCHEMA, "{\"schema\":null,\"payload\":null}")))
        .isInstanceOfSatisfying(
            RecordDisposition.DeadLetterIt.class,
            d -> assertThat(d.deadLetter().reason()).contains("on.null.values"));
    assertThat(mapper.map(record(Schema.OPTIONAL_STRING_SCHEMA, "null")))
        .isInstanceOf(RecordDisposition.Skip.class);
  }

  @Test
  void mappingFailuresAndUnmatchedRecordsAreTheTreePathsToo() throws Exception {
    byte[] badTotal = TestRecords.orderPaid("org_1", "e-1", "{\"nested\":true}");
    byte[] otherType = "{\"type\":\"order.refunded\"}".getBytes(StandardCharsets.UTF_8);
    DomainRecordMapper dlq =
        new DomainRecordMapper(rules("dlq"), Optional.empty(), NullValueBehavior.SKIP);

    for (byte[] json : new byte[][] {badTotal, otherType}) {
      @SuppressWarnings("unchecked")
      Map<String, Object> asMap = new ObjectMapper().readValue(json, Map.class);
      assertThat(dlq.map(record(Schema.OPTIONAL_BYTES_SCHEMA, json)))
          .isEqualTo(dlq.map(record(null, asMap)));
    }
    assertThat(dlq.map(record(Schema.OPTIONAL_BYTES_SCHEMA, otherType)))
        .isInstanceOf(RecordDisposition.DeadLetterIt.class);
  }

  @Test
  void aGroupsUnmatchedPolicyAppliesToItsTopicsUnlessTheConnectorOverridesIt() throws Exception {
    CompiledRules grouped =
        RulesCompiler.compile(
            """
            {"version": 1, "unmatched": "skip",
             "groups": {"strict": {"topics": ["%s"], "unmatched": "dlq"}},
             "defaults": {"organization_id": "org_1", "actor": {"id": "u", "type": "user"},
                          "context": {"location": "l"}},
             "rules": [{"name": "paid", "group": "strict",
                        "when": {"path": "/type", "equals": "order.paid"},
                        "action": "order.paid", "targets": []}]}
            """
                .formatted(TOPIC));
    byte[] otherType = "{\"type\":\"order.refunded\"}".getBytes(StandardCharsets.UTF_8);

    assertThat(
            new DomainRecordMapper(grouped, Optional.empty(), NullValueBehavior.SKIP)
                .map(record(Schema.OPTIONAL_BYTES_SCHEMA, otherType)))
        .isInstanceOf(RecordDisposition.DeadLetterIt.class);
    assertThat(
            new DomainRecordMapper(
                    grouped, Optional.of(UnmatchedPolicy.SKIP), NullValueBehavior.SKIP)
                .map(record(Schema.OPTIONAL_BYTES_SCHEMA, otherType)))
        .isInstanceOf(RecordDisposition.Skip.class);
  }

  @Test
  void malformedOrEmptyJsonIsDeadLetteredAsTheConverterReportsIt() {
    for (String text : new String[] {"{\"type\": \"order.paid\", \"org\": ", "{]", "  ", ""}) {
      byte[] json = text.getBytes(StandardCharsets.UTF_8);

      RecordDisposition disposition = mapper.map(record(Schema.OPTIONAL_BYTES_SCHEMA, json));

      assertThat(disposition)
          .as(text)
          .isEqualTo(
              new RecordDisposition.DeadLetterIt(
                  DeadLetter.of(FailureStage.CONVERT, "", converterMessage(json))));
    }
  }

  private String converterMessage(byte[] json) {
    try {
      new RecordValueConverter(rules::readValue).value(Schema.OPTIONAL_BYTES_SCHEMA, json);
    } catch (ConversionException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the converter to refuse " + json.length + " bytes");
  }

  private static CompiledRules rules(String unmatched) {
    try {
      return RulesCompiler.compile(TestRules.orders(TOPIC, unmatched), OrganizationResolver.none());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static SinkRecord record(Schema schema, Object value) {
    return new SinkRecord(TOPIC, 0, Schema.OPTIONAL_STRING_SCHEMA, "k", schema, value, 7L);
  }
}
