package io.auditpipe.emulator.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What faults to inject into API requests ({@code /_emulator/…} and the page are never faulted).
 * Rates are shares of requests in [0, 1], drawn from a {@link java.util.Random} seeded with {@code
 * seed}, so a run is repeatable. {@code next} is a script of faults for the next requests, one
 * each, applied before any random draw — the deterministic way to fault exactly one request.
 *
 * <p>JSON form (the body of {@code PUT /_emulator/faults} and of {@code --faults}): the snake_case
 * field names below; absent fields keep their defaults.
 */
public record FaultSettings(
    long seed,
    double status500Rate,
    double status502Rate,
    double status503Rate,
    double throttleBurstRate,
    int throttleBurstLength,
    long latencyMinMs,
    long latencyMaxMs,
    double resetBeforeRate,
    double resetAfterRate,
    double slowRate,
    long slowMs,
    List<FaultKind> next) {

  /** No faults at all. */
  public static final FaultSettings NONE =
      new FaultSettings(0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1000, List.of());

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public FaultSettings {
    Objects.requireNonNull(next, "next");
    next = List.copyOf(next);
    rate("status_500_rate", status500Rate);
    rate("status_502_rate", status502Rate);
    rate("status_503_rate", status503Rate);
    rate("throttle_burst_rate", throttleBurstRate);
    rate("reset_before_rate", resetBeforeRate);
    rate("reset_after_rate", resetAfterRate);
    rate("slow_rate", slowRate);
    if (throttleBurstLength < 1) {
      throw new IllegalArgumentException(
          "throttle_burst_length: expected 1 or more, found " + throttleBurstLength);
    }
    if (latencyMinMs < 0 || latencyMaxMs < latencyMinMs) {
      throw new IllegalArgumentException(
          "latency: expected 0 <= latency_min_ms <= latency_max_ms, found "
              + latencyMinMs
              + " and "
              + latencyMaxMs);
    }
    if (slowMs < 0) {
      throw new IllegalArgumentException("slow_ms: expected 0 or more, found " + slowMs);
    }
  }

  private static void rate(String name, double r) {
    if (!(r >= 0 && r <= 1)) {
      throw new IllegalArgumentException(name + ": expected a share in [0, 1], found " + r);
    }
  }

  /** True when some fault can happen. */
  public boolean active() {
    return !next.isEmpty()
        || status500Rate > 0
        || status502Rate > 0
        || status503Rate > 0
        || throttleBurstRate > 0
        || latencyMaxMs > 0
        || resetBeforeRate > 0
        || resetAfterRate > 0
        || slowRate > 0;
  }

  /** These settings with another seed for the random draws. */
  public FaultSettings withSeed(long s) {
    return copy(b -> b.seed = s);
  }

  /** These settings with the given faults scripted for the next requests. */
  public FaultSettings withNext(FaultKind... kinds) {
    return copy(b -> b.next = List.of(kinds));
  }

  /** These settings with a share of requests answered with the status (500, 502 or 503). */
  public FaultSettings withStatusRate(int status, double rate) {
    return copy(
        b -> {
          b.status500Rate = status == 500 ? rate : status500Rate;
          b.status502Rate = status == 502 ? rate : status502Rate;
          b.status503Rate = status == 503 ? rate : status503Rate;
        });
  }

  /** These settings with a share of requests starting a burst of {@code length} 429 answers. */
  public FaultSettings withThrottleBursts(double rate, int length) {
    return copy(
        b -> {
          b.throttleBurstRate = rate;
          b.throttleBurstLength = length;
        });
  }

  /** These settings with added latency, uniformly drawn in [min, max] (fixed when equal). */
  public FaultSettings withLatency(long minMs, long maxMs) {
    return copy(
        b -> {
          b.latencyMinMs = minMs;
          b.latencyMaxMs = maxMs;
        });
  }

  /** These settings with shares of connections reset before and after processing. */
  public FaultSettings withResets(double beforeRate, double afterRate) {
    return copy(
        b -> {
          b.resetBeforeRate = beforeRate;
          b.resetAfterRate = afterRate;
        });
  }

  /** These settings with a share of slow responses (body sent {@code ms} after the headers). */
  public FaultSettings withSlowResponses(double rate, long ms) {
    return copy(
        b -> {
          b.slowRate = rate;
          b.slowMs = ms;
        });
  }

  /** A copy with the fields {@code change} sets; the constructor validates the result. */
  private FaultSettings copy(Consumer<Copy> change) {
    Copy b = new Copy(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of one settings value, to change a few of them without naming all the others. */
  private static final class Copy {
    long seed;
    double status500Rate;
    double status502Rate;
    double status503Rate;
    double throttleBurstRate;
    int throttleBurstLength;
    long latencyMinMs;
    long latencyMaxMs;
    double resetBeforeRate;
    double resetAfterRate;
    double slowRate;
    long slowMs;
    List<FaultKind> next;

    Copy(FaultSettings s) {
      seed = s.seed;
      status500Rate = s.status500Rate;
      status502Rate = s.status502Rate;
      status503Rate = s.status503Rate;
      throttleBurstRate = s.throttleBurstRate;
      throttleBurstLength = s.throttleBurstLength;
      latencyMinMs = s.latencyMinMs;
      latencyMaxMs = s.latencyMaxMs;
      resetBeforeRate = s.resetBeforeRate;
      resetAfterRate = s.resetAfterRate;
      slowRate = s.slowRate;
      slowMs = s.slowMs;
      next = s.next;
    }

    FaultSettings build() {
      return new FaultSettings(
          seed,
          status500Rate,
          status502Rate,
          status503Rate,
          throttleBurstRate,
          throttleBurstLength,
          latencyMinMs,
          latencyMaxMs,
          resetBeforeRate,
          resetAfterRate,
          slowRate,
          slowMs,
          next);
    }
  }

  public ObjectNode toJson() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("seed", seed);
    n.put("status_500_rate", status500Rate);
    n.put("status_502_rate", status502Rate);
    n.put("status_503_rate", status503Rate);
    n.put("throttle_burst_rate", throttleBurstRate);
    n.put("throttle_burst_length", throttleBurstLength);
    n.put("latency_min_ms", latencyMinMs);
    n.put("latency_max_ms", latencyMaxMs);
    n.put("reset_before_rate", resetBeforeRate);
    n.put("reset_after_rate", resetAfterRate);
    n.put("slow_rate", slowRate);
    n.put("slow_ms", slowMs);
    ArrayNode a = n.putArray("next");
    next.forEach(k -> a.add(k.code()));
    return n;
  }

  /**
   * Reads the JSON form over {@code base}: absent fields keep base's values.
   *
   * @throws IllegalArgumentException naming the field that is unknown or out of range
   */
  public static FaultSettings fromJson(JsonNode json, FaultSettings base) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("expected a JSON object of fault settings");
    }
    ObjectNode merged = base.toJson();
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!merged.has(e.getKey())) {
        throw new IllegalArgumentException(
            "unknown fault setting '" + e.getKey() + "'; known: " + fieldNames(merged));
      }
      merged.set(e.getKey(), e.getValue());
    }
    List<FaultKind> next = new ArrayList<>();
    merged.path("next").forEach(k -> next.add(FaultKind.parse(k.asText())));
    return new FaultSettings(
        merged.path("seed").asLong(),
        merged.path("status_500_rate").asDouble(),
        merged.path("status_502_rate").asDouble(),
        merged.path("status_503_rate").asDouble(),
        merged.path("throttle_burst_rate").asDouble(),
        merged.path("throttle_burst_length").asInt(),
        merged.path("latency_min_ms").asLong(),
        merged.path("latency_max_ms").asLong(),
        merged.path("reset_before_rate").asDouble(),
        merged.path("reset_after_rate").asDouble(),
        merged.path("slow_rate").asDouble(),
        merged.path("slow_ms").asLong(),
        next);
  }

  private static String fieldNames(ObjectNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }
}
