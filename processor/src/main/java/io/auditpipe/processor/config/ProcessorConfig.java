package io.auditpipe.processor.config;

import io.auditpipe.processor.errors.DeadLetterHandler;
import io.auditpipe.processor.output.OutputFormat;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The processor's configuration: auditpipe's own keys (below) plus any Kafka Streams, consumer or
 * producer key, passed through to Streams. Both are validated when constructed; a {@link
 * ConfigException} names the offending key.
 *
 * <p>Defaults that differ from Kafka Streams': {@code application.id=auditpipe-processor}, {@code
 * processing.guarantee=exactly_once_v2}, {@code commit.interval.ms=1000} (see {@link
 * #COMMIT_INTERVAL_MS_DEFAULT}), {@code consumer.auto.offset.reset=earliest} (an audit trail should
 * start at the beginning of the domain topics, not at whatever arrives next).
 */
// ConfigDef.Type as Type is how Kafka's own configs read; nothing else here is named Type.
@SuppressWarnings("BadImport")
public final class ProcessorConfig extends AbstractConfig {

  private static final String RULES_GROUP = "Rules";
  private static final String OUTPUT_GROUP = "Output";
  private static final String ERRORS_GROUP = "Errors";

  public static final String RULES_PATH_CONFIG = "rules.path";
  public static final String RULES_PATH_DOC =
      "Path of the JSON rules document mapping domain records into audit events.";

  public static final String OUTPUT_TOPIC_CONFIG = "output.topic";
  public static final String OUTPUT_TOPIC_DOC = "Topic the audit events are written to.";
  public static final String OUTPUT_TOPIC_DEFAULT = "audit-events";

  public static final String OUTPUT_FORMAT_CONFIG = "output.format";
  public static final String OUTPUT_FORMAT_DOC =
      "Value format of the output topic: 'avro' (audit-log-event.avsc in Avro single-object"
          + " encoding, no schema registry needed) or 'json'.";
  public static final String OUTPUT_FORMAT_DEFAULT = OutputFormat.AVRO.externalName();

  public static final String DLQ_TOPIC_CONFIG = "dlq.topic";
  public static final String DLQ_TOPIC_DOC =
      "Dead-letter topic for records that cannot be converted, mapped or validated; written with"
          + " the original key, value and headers plus auditpipe.error.* headers. Sets Kafka"
          + " Streams' "
          + StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
          + ".";
  public static final String DLQ_TOPIC_DEFAULT = "audit-events-dlq";

  public static final String APPLICATION_ID_DEFAULT = "auditpipe-processor";

  /**
   * Streams commits every 100 ms under exactly-once; each commit is a transaction round trip that
   * stalls the stream thread. Audit delivery tolerates a second of latency, and a one-second
   * transaction more than doubles throughput on a small cluster (bench/README.md, Processor).
   */
  public static final long COMMIT_INTERVAL_MS_DEFAULT = 1_000L;

  /** The keys this class owns; every other key is passed to Kafka Streams. */
  public static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              RULES_PATH_CONFIG,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              RULES_PATH_DOC,
              RULES_GROUP,
              1,
              ConfigDef.Width.LONG,
              "Rules file")
          .define(
              OUTPUT_TOPIC_CONFIG,
              Type.STRING,
              OUTPUT_TOPIC_DEFAULT,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              OUTPUT_TOPIC_DOC,
              OUTPUT_GROUP,
              1,
              ConfigDef.Width.MEDIUM,
              "Output topic")
          .define(
              OUTPUT_FORMAT_CONFIG,
              Type.STRING,
              OUTPUT_FORMAT_DEFAULT,
              ConfigDef.CaseInsensitiveValidString.in(
                  OutputFormat.AVRO.externalName(), OutputFormat.JSON.externalName()),
              Importance.MEDIUM,
              OUTPUT_FORMAT_DOC,
              OUTPUT_GROUP,
              2,
              ConfigDef.Width.SHORT,
              "Output format")
          .define(
              DLQ_TOPIC_CONFIG,
              Type.STRING,
              DLQ_TOPIC_DEFAULT,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              DLQ_TOPIC_DOC,
              ERRORS_GROUP,
              1,
              ConfigDef.Width.MEDIUM,
              "Dead-letter topic");

  private final Map<String, String> originals;
  private final StreamsConfig streamsConfig;

  public ProcessorConfig(Map<String, String> props) {
    super(CONFIG_DEF, props, false);
    this.originals = Map.copyOf(props);
    requireDistinct(OUTPUT_TOPIC_CONFIG, outputTopic(), DLQ_TOPIC_CONFIG, dlqTopic());
    this.streamsConfig = new StreamsConfig(buildStreamsProperties());
  }

  public Path rulesPath() {
    return Path.of(getString(RULES_PATH_CONFIG));
  }

  public String outputTopic() {
    return getString(OUTPUT_TOPIC_CONFIG);
  }

  public OutputFormat outputFormat() {
    return OutputFormat.of(getString(OUTPUT_FORMAT_CONFIG));
  }

  public String dlqTopic() {
    return getString(DLQ_TOPIC_CONFIG);
  }

  /** The validated Kafka Streams configuration. */
  public StreamsConfig streamsConfig() {
    return streamsConfig;
  }

  /** The properties Kafka Streams is started with. */
  public Properties streamsProperties() {
    return buildStreamsProperties();
  }

  private Properties buildStreamsProperties() {
    Map<String, Object> streams = new HashMap<>();
    streams.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID_DEFAULT);
    streams.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    streams.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    for (Map.Entry<String, String> entry : originals.entrySet()) {
      if (!CONFIG_DEF.names().contains(entry.getKey())) {
        streams.put(entry.getKey(), entry.getValue());
      }
    }
    for (String owned :
        new String[] {
          StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
          StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
          StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
        }) {
      if (originals.containsKey(owned)) {
        throw new ConfigException(
            owned,
            originals.get(owned),
            "is set by the processor itself; use "
                + DLQ_TOPIC_CONFIG
                + " for the dead-letter topic");
      }
    }
    streams.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
    streams.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
    streams.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, dlqTopic());
    Properties properties = new Properties();
    properties.putAll(streams);
    return properties;
  }

  private static void requireDistinct(String key, String value, String otherKey, String other) {
    if (value.toLowerCase(Locale.ROOT).equals(other.toLowerCase(Locale.ROOT))) {
      throw new ConfigException(
          key, value, "expected a topic other than " + otherKey + " (\"" + other + "\")");
    }
  }
}
