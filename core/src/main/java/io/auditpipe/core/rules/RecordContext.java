package io.auditpipe.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a domain record came from, visible to every rule next to the record's value: its key (as
 * JSON, read by {@link RecordKeys}: a string key is a text node), topic, partition, offset,
 * timestamp and headers (decoded as UTF-8; the last value wins for a repeated header name).
 */
public record RecordContext(
    String topic,
    int partition,
    long offset,
    Optional<Instant> timestamp,
    Optional<JsonNode> key,
    Map<String, String> headers) {

  public RecordContext {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(key, "key");
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
  }

  /** A context with only coordinates, for tools and tests. */
  public static RecordContext of(String topic, int partition, long offset) {
    return new RecordContext(
        topic, partition, offset, Optional.empty(), Optional.empty(), Map.of());
  }
}
