package io.auditpipe.cli.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditpipe.cli.samples.EnvelopeMode;
import io.auditpipe.cli.samples.SampleHeader;
import io.auditpipe.cli.samples.SampleKey;
import io.auditpipe.cli.samples.SampleLine;
import io.auditpipe.cli.samples.SampleLines;
import io.auditpipe.cli.samples.SampleRecord;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.MappedEvent;
import io.auditpipe.core.rules.MappingOutcome;
import io.auditpipe.core.rules.RecordContext;
import io.auditpipe.core.rules.RecordKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sample records, one per non-blank line of a file, replayed in a loop: a line is the record value
 * as it is, or a record envelope with key, headers, topic, partition and timestamp too ({@link
 * SampleLines}). Values are sent as they are, bad ones included (not JSON, not even UTF-8), so the
 * pipeline meets what real topics hold. So that each pass is new events rather than repeats WorkOS
 * would deduplicate, pass {@code n > 0} suffixes the top-level {@code event_id} and {@code id}
 * string values of JSON object values with {@code -n}.
 */
final class SampleEvents {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> ID_FIELDS = List.of("event_id", "id");

  private final List<SampleRecord> records;
  private final List<List<String>> ids;
  private final List<String> problems;

  private SampleEvents(List<SampleRecord> records, List<String> problems) {
    this.records = List.copyOf(records);
    this.problems = List.copyOf(problems);
    List<List<String>> found = new ArrayList<>();
    for (SampleRecord record : records) {
      found.add(record.value().map(SampleEvents::idsOf).orElse(List.of()));
    }
    this.ids = List.copyOf(found);
  }

  /** The samples in {@code file}, lines that are not records reported by {@link #problems()}. */
  static SampleEvents read(Path file) throws IOException {
    return read(file, EnvelopeMode.DETECT);
  }

  static SampleEvents read(Path file, EnvelopeMode mode) throws IOException {
    List<SampleLine> lines;
    try (InputStream in = Files.newInputStream(file)) {
      lines = SampleLines.readAll(in, mode);
    }
    List<SampleRecord> records = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (SampleLine line : lines) {
      if (line instanceof SampleLine.Invalid invalid) {
        problems.add(file + ": line " + invalid.line() + ": " + invalid.reason() + "; skipped");
      } else {
        SampleRecord record = ((SampleLine.Sample) line).record();
        if (record.value().map(v -> SampleLines.utf8(v).isEmpty()).orElse(false)) {
          problems.add(
              file
                  + ": line "
                  + record.line()
                  + ": not UTF-8 text (byte "
                  + SampleLines.firstInvalidByte(record.value().get())
                  + "); produced as it is, to be dead-lettered");
        }
        records.add(record);
      }
    }
    if (records.isEmpty()) {
      throw new IOException(file + ": expected sample events, one per line, found none");
    }
    return new SampleEvents(records, problems);
  }

  /** Lines that are not records, or records that are not text: one report line each. */
  List<String> problems() {
    return problems;
  }

  int size() {
    return records.size();
  }

  /** The topics the samples name themselves (envelope {@code topic}s). */
  Set<String> topics() {
    Set<String> topics = new TreeSet<>();
    records.forEach(r -> r.topic().ifPresent(topics::add));
    return topics;
  }

  /** The value of the {@code sequence}-th record produced (0-based, across passes); null: none. */
  byte[] value(long sequence) {
    int index = (int) (sequence % records.size());
    long pass = sequence / records.size();
    Optional<byte[]> value = records.get(index).value();
    if (value.isEmpty()) {
      return null;
    }
    if (pass == 0 || ids.get(index).isEmpty()) {
      return value.get();
    }
    String line = new String(value.get(), StandardCharsets.UTF_8);
    for (String id : ids.get(index)) {
      line = line.replace(quote(id), quote(id + "-" + pass));
    }
    return line.getBytes(StandardCharsets.UTF_8);
  }

  /** The {@code sequence}-th record to produce, to {@code topic} unless the sample names one. */
  ProducerRecord<byte[], byte[]> record(long sequence, String topic) {
    SampleRecord sample = records.get((int) (sequence % records.size()));
    RecordHeaders headers = new RecordHeaders();
    for (SampleHeader header : sample.headers()) {
      headers.add(
          header.name(), header.value().map(v -> v.getBytes(StandardCharsets.UTF_8)).orElse(null));
    }
    return new ProducerRecord<>(
        sample.topic().orElse(topic),
        sample.partition().isPresent() ? sample.partition().getAsInt() : null,
        sample.timestamp().map(Instant::toEpochMilli).orElse(null),
        sample.key().flatMap(SampleKey::bytes).orElse(null),
        value(sequence),
        headers);
  }

  /**
   * The organization ids the rules give the samples as records of {@code topic}: what a WorkOS
   * stand-in must know for their events to be accepted.
   */
  Set<String> organizations(CompiledRules rules, String topic) {
    Set<String> organizations = new TreeSet<>();
    for (int i = 0; i < records.size(); i++) {
      SampleRecord sample = records.get(i);
      Optional<JsonNode> value = sample.value().flatMap(v -> read(rules, v));
      if (value.isEmpty()) {
        continue;
      }
      Map<String, String> headers = new LinkedHashMap<>();
      sample.headers().forEach(h -> h.value().ifPresent(v -> headers.put(h.name(), v)));
      RecordContext context =
          new RecordContext(
              sample.topic().orElse(topic),
              sample.partition().orElse(0),
              i,
              Optional.of(sample.timestamp().orElseGet(Instant::now)),
              sample.key().flatMap(SampleKey::bytes).flatMap(RecordKeys::fromBytes),
              headers);
      if (rules.map(value.get(), context) instanceof MappingOutcome.Mapped mapped) {
        for (MappedEvent event : mapped.events()) {
          organizations.add(event.event().organizationId());
        }
      }
    }
    return organizations;
  }

  /** The value as the pipeline reads it for {@code rules}, or empty when it is not JSON. */
  private static Optional<JsonNode> read(CompiledRules rules, byte[] value) {
    try {
      JsonNode node = rules.readValue(value);
      return node.isMissingNode() ? Optional.empty() : Optional.of(node);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<JsonNode> json(byte[] value) {
    Optional<String> text = SampleLines.utf8(value);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(MAPPER.readTree(text.get()));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static List<String> idsOf(byte[] value) {
    JsonNode node = json(value).orElse(null);
    List<String> found = new ArrayList<>();
    if (node != null && node.isObject()) {
      for (String field : ID_FIELDS) {
        JsonNode id = node.get(field);
        if (id != null && id.isTextual() && !id.textValue().isEmpty()) {
          found.add(id.textValue());
        }
      }
    }
    return found;
  }

  private static String quote(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a string always serializes", e);
    }
  }
}
