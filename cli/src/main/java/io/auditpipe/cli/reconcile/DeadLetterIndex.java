package io.auditpipe.cli.reconcile;

import io.auditpipe.cli.ops.DeadLetterHeaderNames;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The source records a dead-letter topic holds, by their coordinates (the processor's {@code
 * auditpipe.error.*} or Connect's {@code __connect.errors.*} headers). Dead letters without source
 * coordinates cannot be matched and are counted instead.
 */
public final class DeadLetterIndex {

  private final Map<String, Unresolved> bySource = new HashMap<>();
  private long withoutCoordinates;

  public void accept(ConsumerRecord<byte[], byte[]> deadLetter) {
    Optional<String> topic =
        header(deadLetter, DeadLetterHeaderNames.SOURCE_TOPIC)
            .or(() -> header(deadLetter, DeadLetterHeaderNames.CONNECT_TOPIC));
    Optional<String> partition =
        header(deadLetter, DeadLetterHeaderNames.SOURCE_PARTITION)
            .or(() -> header(deadLetter, DeadLetterHeaderNames.CONNECT_PARTITION));
    Optional<String> offset =
        header(deadLetter, DeadLetterHeaderNames.SOURCE_OFFSET)
            .or(() -> header(deadLetter, DeadLetterHeaderNames.CONNECT_OFFSET));
    if (topic.isEmpty() || partition.isEmpty() || offset.isEmpty()) {
      withoutCoordinates++;
      return;
    }
    try {
      int p = Integer.parseInt(partition.get().strip());
      long o = Long.parseLong(offset.get().strip());
      bySource.put(
          ExpectedEvents.coordinates(topic.get(), p, o),
          new Unresolved(
              topic.get(),
              p,
              o,
              "dead-lettered (" + header(deadLetter, DeadLetterHeaderNames.STAGE).orElse("?") + ")",
              header(deadLetter, DeadLetterHeaderNames.RULE).orElse(""),
              "in "
                  + deadLetter.topic()
                  + "-"
                  + deadLetter.partition()
                  + "@"
                  + deadLetter.offset()));
    } catch (NumberFormatException e) {
      withoutCoordinates++;
    }
  }

  public Map<String, Unresolved> bySource() {
    return bySource;
  }

  public long withoutCoordinates() {
    return withoutCoordinates;
  }

  private static Optional<String> header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null || h.value() == null
        ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }
}
