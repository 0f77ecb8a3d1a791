package io.auditpipe.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditpipe.processor.errors.DeadLetterHandler;
import io.auditpipe.processor.output.OutputFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorConfigTest {

  @TempDir Path dir;

  @Test
  void appliesDefaultsAndWiresTheDeadLetterHandler() {
    ProcessorConfig config = new ProcessorConfig(minimal());

    assertThat(config.outputTopic()).isEqualTo("audit-events");
    assertThat(config.outputFormat()).isEqualTo(OutputFormat.AVRO);
    assertThat(config.dlqTopic()).isEqualTo("audit-events-dlq");
    Properties streams = config.streamsProperties();
    assertThat(streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(streams.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("auditpipe-processor");
    assertThat(streams.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG))
        .isEqualTo("audit-events-dlq");
    assertThat(streams.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(DeadLetterHandler.class);
    assertThat(streams.get("consumer.auto.offset.reset")).isEqualTo("earliest");
    assertThat(streams).doesNotContainKey(ProcessorConfig.RULES_PATH_CONFIG);
  }

  @Test
  void passesStreamsKeysThroughAndLetsThemOverrideDefaults() {
    Map<String, String> props = minimal();
    props.put("processing.guarantee", "at_least_once");
    props.put("num.stream.threads", "2");
    props.put("output.format", "JSON");

    ProcessorConfig config = new ProcessorConfig(props);

    assertThat(config.streamsConfig().getString("processing.guarantee")).isEqualTo("at_least_once");
    assertThat(config.streamsConfig().getInt("num.stream.threads")).isEqualTo(2);
    assertThat(config.outputFormat()).isEqualTo(OutputFormat.JSON);
  }

  @Test
  void namesTheKeyOfAMissingOrInvalidValue() {
    Map<String, String> noRules = minimal();
    noRules.remove(ProcessorConfig.RULES_PATH_CONFIG);
    Map<String, String> badFormat = minimal();
    badFormat.put("output.format", "xml");
    Map<String, String> noBroker = minimal();
    noBroker.remove("bootstrap.servers");
    Map<String, String> badGuarantee = minimal();
    badGuarantee.put("processing.guarantee", "sometimes");
    Map<String, String> sameTopics = minimal();
    sameTopics.put("dlq.topic", "audit-events");
    Map<String, String> ownedKey = minimal();
    ownedKey.put("errors.dead.letter.queue.topic.name", "x");

    assertThatThrownBy(() -> new ProcessorConfig(noRules))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules.path");
    assertThatThrownBy(() -> new ProcessorConfig(badFormat))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("output.format");
    assertThatThrownBy(() -> new ProcessorConfig(noBroker))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bootstrap.servers");
    assertThatThrownBy(() -> new ProcessorConfig(badGuarantee))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("processing.guarantee");
    assertThatThrownBy(() -> new ProcessorConfig(sameTopics))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("output.topic");
    assertThatThrownBy(() -> new ProcessorConfig(ownedKey))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("errors.dead.letter.queue.topic.name")
        .hasMessageContaining("dlq.topic");
  }

  @Test
  void loadsAFileAndLetsTheEnvironmentOverrideIt() throws Exception {
    Path file = dir.resolve("processor.properties");
    Files.writeString(
        file, "rules.path=/etc/rules.json\nbootstrap.servers=file:9092\noutput.topic=from-file\n");

    ProcessorConfig config =
        ProcessorConfigLoader.load(
            Optional.of(file),
            Map.of(
                "AUDITPIPE_BOOTSTRAP_SERVERS", "env:9092",
                "AUDITPIPE_DLQ_TOPIC", "dead",
                "PATH", "/usr/bin"));

    assertThat(config.rulesPath()).isEqualTo(Path.of("/etc/rules.json"));
    assertThat(config.outputTopic()).isEqualTo("from-file");
    assertThat(config.dlqTopic()).isEqualTo("dead");
    assertThat(config.streamsProperties().get("bootstrap.servers")).isEqualTo("env:9092");
  }

  @Test
  void mapsEnvironmentNamesToKeys() {
    assertThat(ProcessorConfigLoader.keyOf("RULES_PATH")).isEqualTo("rules.path");
    assertThat(ProcessorConfigLoader.keyOf("CONSUMER_MAX_POLL_RECORDS"))
        .isEqualTo("consumer.max.poll.records");
    assertThat(ProcessorConfigLoader.keyOf("SOME__UNDERSCORED_KEY"))
        .isEqualTo("some_underscored.key");
  }

  @Test
  void reportsAnUnreadableFile() {
    assertThatThrownBy(
            () -> ProcessorConfigLoader.load(Optional.of(dir.resolve("missing")), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing");
  }

  private static Map<String, String> minimal() {
    Map<String, String> props = new HashMap<>();
    props.put(ProcessorConfig.RULES_PATH_CONFIG, "rules.json");
    props.put("bootstrap.servers", "localhost:9092");
    return props;
  }
}
