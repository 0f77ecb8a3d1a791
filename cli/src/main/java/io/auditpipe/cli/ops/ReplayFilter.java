package io.auditpipe.cli.ops;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Which dead letters {@code auditpipe dlq replay} selects. Each set is "any of"; an empty set
 * selects everything; the criteria combine with "and". Time and offsets are the dead-letter
 * record's own (when it was dead-lettered, where it is in the DLQ).
 */
record ReplayFilter(
    Set<String> stages,
    Set<String> rules,
    Set<Integer> workOsStatuses,
    Optional<Instant> since,
    Optional<Instant> until,
    OptionalLong fromOffset,
    OptionalLong toOffset) {

  boolean matches(ConsumerRecord<byte[], byte[]> record) {
    Headers headers = record.headers();
    if (!stages.isEmpty()
        && !header(headers, DeadLetterHeaderNames.STAGE).map(stages::contains).orElse(false)) {
      return false;
    }
    if (!rules.isEmpty()
        && !header(headers, DeadLetterHeaderNames.RULE)
            .map(r -> Arrays.stream(r.split(",")).map(String::strip).anyMatch(rules::contains))
            .orElse(false)) {
      return false;
    }
    if (!workOsStatuses.isEmpty()
        && !header(headers, DeadLetterHeaderNames.WORKOS_STATUS)
            .map(s -> workOsStatuses.contains(parseOrMinusOne(s)))
            .orElse(false)) {
      return false;
    }
    Instant at = Instant.ofEpochMilli(record.timestamp());
    if (since.isPresent() && at.isBefore(since.get())) {
      return false;
    }
    if (until.isPresent() && !at.isBefore(until.get())) {
      return false;
    }
    if (fromOffset.isPresent() && record.offset() < fromOffset.getAsLong()) {
      return false;
    }
    return toOffset.isEmpty() || record.offset() < toOffset.getAsLong();
  }

  /** The last value of header {@code name} as UTF-8 text, as the rules see headers. */
  static Optional<String> header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null
        ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }

  private static int parseOrMinusOne(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
