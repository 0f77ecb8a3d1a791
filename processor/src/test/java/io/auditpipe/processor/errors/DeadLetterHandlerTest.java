package io.auditpipe.processor.errors;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class DeadLetterHandlerTest {

  @Test
  void refusesToStartWithoutADeadLetterTopic() {
    DeadLetterHandler handler = new DeadLetterHandler();

    assertThatThrownBy(() -> handler.configure(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    assertThatThrownBy(
            () ->
                handler.configure(
                    Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, " ")))
        .isInstanceOf(ConfigException.class);
  }
}
