package io.auditpipe.bench.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.model.AuditEventValidator;
import io.auditpipe.core.model.Violation;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.IdempotencyKeys;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.core.rules.RulesValidationException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the fast path's time goes, stage by stage, for the reference event (a profiling aid for
 * {@link MappingBenchmark}, not part of its RESULT line): the read ({@code readValue}), {@code map}
 * and its parts, and writing the body.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class MappingStagesBenchmark {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String EVENT_ID = "evt_01JGZ8Q4M2N7P5R6S9T0V1W2X3";
  private static final String RULE = "order-events";

  private byte[] event;
  private JsonNode tree;
  private CompiledRules rules;
  private AuditEvent mapped;
  private HandwrittenJacksonMapper handwritten;
  private final IdempotencyKeys.RuleKeys ruleKeys = IdempotencyKeys.forRule(RULE, 0);

  @Setup(Level.Trial)
  public void setUp() throws IOException, RulesValidationException {
    event = ReferenceWorkload.orderEvent();
    tree = MAPPER.readTree(event);
    rules = RulesCompiler.compile(ReferenceWorkload.rulesDocument());
    MappingOutcome outcome = rules.map(tree, ReferenceWorkload.RECORD);
    mapped = ((MappingOutcome.Mapped) outcome).events().get(0).event();
    handwritten = new HandwrittenJacksonMapper();
    if (!rules.map(rules.readValue(event), ReferenceWorkload.RECORD).equals(outcome)) {
      throw new IllegalStateException("map(readValue) disagrees with map(readTree)");
    }
  }

  /** The floor of any parse of the event: every token, no value built. */
  @Benchmark
  public int tokenize(CpuMeter cpu) throws IOException {
    cpu.ops++;
    int n = 0;
    try (JsonParser p = MAPPER.getFactory().createParser(event)) {
      while (p.nextToken() != null) {
        n++;
      }
    }
    return n;
  }

  /** The fast path without writing: bytes to validated events with their keys. */
  @Benchmark
  public MappingOutcome readAndMap(CpuMeter cpu) throws IOException {
    cpu.ops++;
    return rules.map(rules.readValue(event), ReferenceWorkload.RECORD);
  }

  /** Shared by JSLT and the hand-written mapper: bytes to a whole Jackson tree. */
  @Benchmark
  public JsonNode parseTree(CpuMeter cpu) throws IOException {
    cpu.ops++;
    return MAPPER.readTree(event);
  }

  /** The read: only the rules' paths become nodes. */
  @Benchmark
  public JsonNode parseProjected(CpuMeter cpu) throws IOException {
    cpu.ops++;
    return rules.readValue(event);
  }

  /** {@code CompiledRules.map} on a parsed tree: fields, event, validation, idempotency key. */
  @Benchmark
  public MappingOutcome rulesMap(CpuMeter cpu) {
    cpu.ops++;
    return rules.map(tree, ReferenceWorkload.RECORD);
  }

  /** The full validation, which {@code map} runs only on events a cheap check cannot clear. */
  @Benchmark
  public List<Violation> validate(CpuMeter cpu) {
    cpu.ops++;
    return AuditEventValidator.instance().validate(mapped);
  }

  /** The SHA-256 idempotency key {@code map} derives for every event, rule part encoded anew. */
  @Benchmark
  public String idempotencyKey(CpuMeter cpu) {
    cpu.ops++;
    return IdempotencyKeys.fromEventId(EVENT_ID, RULE, 0);
  }

  /** The key as {@code map} derives it: the rule's part of the key material encoded once. */
  @Benchmark
  public String ruleKey(CpuMeter cpu) {
    cpu.ops++;
    return ruleKeys.fromEventId(EVENT_ID);
  }

  /** {@code AuditEventJson.toRequestBody} of the mapped event. */
  @Benchmark
  public byte[] writeBody(CpuMeter cpu) {
    cpu.ops++;
    return AuditEventJson.toRequestBody(mapped);
  }

  /** The whole hand-written mapping, for scale. */
  @Benchmark
  public byte[] handwrittenWhole(CpuMeter cpu) {
    cpu.ops++;
    return handwritten.map(event);
  }
}
