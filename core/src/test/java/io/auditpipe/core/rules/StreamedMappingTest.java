package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A record read by {@link CompiledRules#readValue}, which builds only the rules' paths, maps
 * exactly as the whole tree {@code ObjectMapper.readTree} reads from the same bytes: same events,
 * idempotency keys, failures and locations, and an exception for malformed JSON in both. Over every
 * golden document × every golden input, random documents, and random byte-level damage.
 */
class StreamedMappingTest {

  // The whole tree as the reader's contract states it: one JSON value, nothing after it.
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** A record of topic {@code t} with a timestamp, so that no event's time is "now". */
  private static final RecordContext CONTEXT =
      new RecordContext(
          "t",
          0,
          0,
          Optional.of(Instant.parse("2026-01-01T00:00:00Z")),
          Optional.empty(),
          Map.of());

  @Test
  void goldenAndRandomRecordsMapAsTheirTrees() throws Exception {
    List<GoldenCorpus.Sample> samples =
        GoldenCorpus.samples(GoldenCorpus.load(), new Random(42), 300);
    for (GoldenCorpus.Sample sample : samples) {
      assertSameOutcome(sample.entry(), sample.bytes(), sample.context());
    }
    assertThat(samples).hasSizeGreaterThan(5000);
  }

  @Test
  void damagedBytesFailOrMapAsTheirTrees() throws Exception {
    List<GoldenCorpus.Entry> corpus = GoldenCorpus.load();
    Random random = new Random(4242);
    int malformed = 0;
    for (GoldenCorpus.Entry entry : corpus) {
      for (GoldenCase.Input input : entry.inputs()) {
        byte[] original = GoldenCase.bytes(input);
        for (int i = 0; i < 40; i++) {
          byte[] damaged = damage(original, random);
          if (!assertSameOutcome(entry, damaged, input.context())) {
            malformed++;
          }
        }
      }
    }
    assertThat(malformed).isPositive();
  }

  @Test
  void aRepeatedMemberReplacesTheFirstAsInATree() throws Exception {
    GoldenCorpus.Entry entry = sketch();
    RecordContext context = entry.inputs().get(0).context();
    for (String json :
        List.of(
            "{\"user\":{\"id\":\"u1\"},\"user\":{\"name\":\"n\"}}",
            "{\"user\":{\"id\":\"u1\"},\"user\":5}",
            "{\"user\":7,\"user\":{\"id\":\"u2\"}}",
            "{\"items\":[{\"sku\":\"a\"}],\"items\":\"x\"}",
            "{\"items\":{\"sku\":\"a\"},\"items\":[{\"sku\":\"b\"}]}",
            "{\"items\":[{\"sku\":\"a\",\"sku\":\"b\"},{\"sku\":{\"x\":1},\"sku\":null}]}",
            "{\"items\":[{\"sku\":\"a\"},7,null,[\"sku\"],{}]}")) {
      assertSameOutcome(entry, json.getBytes(StandardCharsets.UTF_8), context);
    }
  }

  @Test
  void scalarsAndArraysWhereObjectsAreExpectedMapAsTheirTrees() throws Exception {
    GoldenCorpus.Entry entry = sketch();
    RecordContext context = entry.inputs().get(0).context();
    for (String json :
        List.of("", "null", "7", "\"s\"", "[]", "[{\"user\":{\"id\":1}}]", "{\"user\":[1,2]}")) {
      assertSameOutcome(entry, json.getBytes(StandardCharsets.UTF_8), context);
    }
  }

  @Test
  void indexesInPathsWalkArraysAndObjectsAsATreeDoes() throws Exception {
    CompiledRules rules =
        RulesCompiler.compile(
            """
            {"version": 1, "rules": [{"name": "r", "topics": ["t"], "organization_id": "o",
              "action": "a.{/pairs/1}.{/deep/0/x}.{/far/70}", "actor": {"id": "u", "type": "user"},
              "context": {"location": "l"}, "targets": []}]}
            """);
    StringBuilder far = new StringBuilder("[");
    for (int i = 0; i < 80; i++) {
      far.append(i == 0 ? "" : ",").append(i);
    }
    far.append(']');
    for (String json :
        List.of(
            "{\"pairs\":[\"p0\",\"p1\"],\"deep\":[{\"x\":\"y\"}],\"far\":" + far + "}",
            "{\"pairs\":{\"1\":\"one\"},\"deep\":{\"0\":{\"x\":1}},\"far\":{\"70\":true}}",
            "{\"pairs\":[\"p0\"],\"deep\":[],\"far\":[]}",
            "{\"pairs\":{\"01\":\"no\"},\"deep\":[[{\"x\":1}]],\"far\":null}")) {
      assertSameOutcome(
          new GoldenCorpus.Entry("indexes", rules, List.of()),
          json.getBytes(StandardCharsets.UTF_8),
          CONTEXT);
    }
  }

  @Test
  void malformedJsonThrowsWhetherOrNotARuleSelectsTheRecord() throws Exception {
    GoldenCorpus.Entry entry = sketch();
    byte[] truncated =
        "{\"user\": {\"id\": \"u1\"}, \"skipped\": [1, 2".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> read(entry.rules(), truncated, entry.inputs().get(0).context()))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> read(entry.rules(), truncated, RecordContext.of("no-rule", 0, 0)))
        .isInstanceOf(IOException.class);
  }

  private static final String NESTED_RULES =
      """
      {"version": 1, "rules": [{"name": "r", "topics": ["t"], "organization_id": "o",
        "action": "a", "actor": {"id": {"path": "/user/id"}, "type": "user",
          "name": {"path": "/user/name", "optional": true}},
        "context": {"location": "l"},
        "targets": [{"for_each": "/items", "id": {"path": "/sku"}, "type": "item"}]}]}
      """;

  /** Rules reading nested members and a {@code for_each} array; records of topic {@code t}. */
  private static GoldenCorpus.Entry sketch() throws Exception {
    return new GoldenCorpus.Entry(
        "nested",
        RulesCompiler.compile(NESTED_RULES),
        List.of(new GoldenCase.Input(null, CONTEXT)));
  }

  /**
   * Asserts the projected and the whole tree map {@code bytes} alike; returns false when both
   * rejected them as malformed JSON.
   */
  private static boolean assertSameOutcome(
      GoldenCorpus.Entry entry, byte[] bytes, RecordContext context) throws IOException {
    String described =
        entry.name() + " on " + new String(bytes, StandardCharsets.UTF_8) + " (" + context + ")";
    JsonNode tree;
    try {
      tree = MAPPER.readTree(bytes);
    } catch (IOException e) {
      assertThat(catchThrowable(() -> read(entry.rules(), bytes, context)))
          .as("%s: readTree threw %s", described, e)
          .isInstanceOf(IOException.class);
      return false;
    }
    MappingOutcome expected =
        entry
            .rules()
            .map(tree == null ? MAPPER.missingNode() : ConnectEnvelope.unwrap(tree), context);
    MappingOutcome actual = read(entry.rules(), bytes, context);
    assertThat(actual).as(described).isEqualTo(expected);
    assertThat(MAPPER.writeValueAsString(GoldenCase.render(actual)))
        .as(described)
        .isEqualTo(MAPPER.writeValueAsString(GoldenCase.render(expected)));
    return true;
  }

  private static MappingOutcome read(CompiledRules rules, byte[] bytes, RecordContext context)
      throws IOException {
    return rules.map(rules.readValue(bytes), context);
  }

  private static byte[] damage(byte[] original, Random random) {
    byte[] out = original.clone();
    int n = 1 + random.nextInt(3);
    for (int k = 0; k < n && out.length > 0; k++) {
      int at = random.nextInt(out.length);
      out[at] =
          switch (random.nextInt(4)) {
            case 0 -> (byte) random.nextInt(256);
            case 1 -> (byte) "{}[]:,\"".charAt(random.nextInt(7));
            case 2 -> (byte) ('0' + random.nextInt(10));
            default -> (byte) ' ';
          };
    }
    return random.nextInt(5) == 0 ? Arrays.copyOf(out, random.nextInt(out.length + 1)) : out;
  }
}
