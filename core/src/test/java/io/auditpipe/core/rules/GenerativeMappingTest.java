package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.auditpipe.core.model.AuditEventValidator;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random documents (fresh ones, and golden inputs with random subtrees swapped in) fed to every
 * golden rules document: the outcome is always typed, never an exception; failures name a rule
 * location; mapped events are valid; and no failure ever repeats a record value.
 */
class GenerativeMappingTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SECRET = "s3cr3t-";
  private static final List<String> KEYS =
      List.of(
          "type",
          "status",
          "ts",
          "at",
          "form",
          "user",
          "id",
          "name",
          "email",
          "items",
          "sku",
          "order",
          "total",
          "tenant",
          "org_id",
          "org",
          "ip",
          "event_id",
          "kind",
          "level",
          "flag",
          "who",
          "lines",
          "qty",
          "price",
          "customer",
          "packages",
          "barcode",
          "legs",
          "stops",
          "code",
          "body",
          "plan",
          "card",
          "depth",
          "recipients",
          "uid",
          "seen",
          "text");

  @Test
  void randomRecordsOnlyEverYieldTypedOutcomes() throws Exception {
    List<GoldenCorpus.Entry> corpus = GoldenCorpus.load();
    Random random = new Random(20261123L);
    int mapped = 0;
    int failed = 0;
    for (int i = 0; i < 1500; i++) {
      for (GoldenCorpus.Entry entry : corpus) {
        GoldenCase.Input template = entry.inputs().get(random.nextInt(entry.inputs().size()));
        JsonNode value =
            random.nextInt(3) == 0
                ? randomValue(random, 0)
                : mutate(
                    template.value() == null ? F.objectNode() : template.value().deepCopy(),
                    random);
        RecordContext context = randomContext(random, template.context());
        MappingOutcome outcome;
        try {
          entry.rules().map(value, context);
          // The record as JSON bytes, read as every caller reads them (numbers as a parser reads
          // them, not as built here); the whole tree of those bytes maps alike.
          byte[] bytes = MAPPER.writeValueAsBytes(value);
          outcome = entry.rules().map(entry.rules().readValue(bytes), context);
          assertThat(outcome)
              .as("%s from the bytes of %s", entry.name(), value)
              .isEqualTo(
                  entry.rules().map(ConnectEnvelope.unwrap(MAPPER.readTree(bytes)), context));
        } catch (RuntimeException e) {
          fail(entry.name() + " threw for " + value, e);
          return;
        }
        if (outcome instanceof MappingOutcome.Failed f) {
          failed++;
          assertThat(f.failures()).isNotEmpty();
          for (MappingFailure failure : f.failures()) {
            assertThat(failure.location()).startsWith("rules[");
            assertThat(failure.reason()).isNotBlank().doesNotContain(SECRET);
            assertThat(failure.rule()).isNotEmpty();
          }
        } else if (outcome instanceof MappingOutcome.Mapped m) {
          mapped++;
          assertThat(m.events()).isNotEmpty();
          for (MappedEvent e : m.events()) {
            assertThat(AuditEventValidator.instance().validate(e.event())).isEmpty();
            assertThat(e.idempotencyKey()).startsWith("ap1-").hasSize(47);
          }
        } else {
          assertThat(outcome).isInstanceOf(MappingOutcome.Unmatched.class);
        }
      }
    }
    assertThat(mapped).isPositive();
    assertThat(failed).isPositive();
  }

  /** A random document: fresh, or {@code template} with random subtrees swapped in. */
  static JsonNode randomDocument(Random random, JsonNode template) {
    return random.nextInt(3) == 0 || template == null
        ? randomValue(random, 0)
        : mutate(template.deepCopy(), random);
  }

  private static RecordContext randomContext(Random random, RecordContext base) {
    Optional<Instant> ts =
        random.nextInt(5) == 0
            ? Optional.empty()
            : Optional.of(Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000_000)));
    Optional<JsonNode> key =
        switch (random.nextInt(3)) {
          case 0 -> Optional.empty();
          case 1 -> Optional.of(TextNode.valueOf(SECRET + random.nextInt()));
          default -> Optional.of(randomValue(random, 1));
        };
    Map<String, String> headers =
        random.nextBoolean()
            ? base.headers()
            : Map.of("user-agent", SECRET + "ua", "x-ip", SECRET + "ip", "event-type", SECRET);
    return new RecordContext(
        base.topic(), random.nextInt(4), random.nextInt(1000), ts, key, headers);
  }

  private static JsonNode mutate(JsonNode node, Random random) {
    if (node instanceof ObjectNode object && object.size() > 0) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        int dice = random.nextInt(6);
        if (dice == 0) {
          e.setValue(randomValue(random, 2));
        } else if (dice == 1) {
          e.setValue(mutate(e.getValue(), random));
        }
      }
      if (random.nextInt(4) == 0) {
        object.remove(object.fieldNames().next());
      }
    } else if (node instanceof ArrayNode array && array.size() > 0) {
      int i = random.nextInt(array.size());
      array.set(i, random.nextBoolean() ? randomValue(random, 2) : mutate(array.get(i), random));
    }
    return node;
  }

  private static JsonNode randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 3 ? 6 : 9);
    return switch (kind) {
      case 0 -> F.nullNode();
      case 1 -> F.booleanNode(random.nextBoolean());
      case 2 -> F.numberNode(random.nextLong() >> random.nextInt(64));
      case 3 -> F.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(30) - 5));
      case 4 -> F.textNode(SECRET + randomText(random));
      case 5 -> F.numberNode(new BigDecimal("1e" + (random.nextInt(40) - 20)));
      case 6, 7 -> {
        ObjectNode o = F.objectNode();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
          o.set(KEYS.get(random.nextInt(KEYS.size())), randomValue(random, depth + 1));
        }
        yield o;
      }
      default -> {
        ArrayNode a = F.arrayNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          a.add(randomValue(random, depth + 1));
        }
        yield a;
      }
    };
  }

  private static String randomText(Random random) {
    StringBuilder s = new StringBuilder();
    int n = random.nextInt(random.nextInt(10) == 0 ? 800 : 12);
    for (int i = 0; i < n; i++) {
      s.append((char) (random.nextInt(10) == 0 ? 0x1F600 >> 4 : 'a' + random.nextInt(26)));
    }
    return s.toString();
  }
}
