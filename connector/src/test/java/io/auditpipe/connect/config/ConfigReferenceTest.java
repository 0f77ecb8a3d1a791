package io.auditpipe.connect.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

  private static final Path DOC = Path.of("..", "docs", "connector-config.md");

  @Test
  void checkedInReferenceMatchesTheConfigDef() throws Exception {
    String expected = ConfigReference.markdown();
    if (Boolean.getBoolean("auditpipe.docs.update")) {
      Files.writeString(DOC, expected, StandardCharsets.UTF_8);
    }
    assertThat(DOC).exists();
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as(
            "docs/connector-config.md is stale: mvn -pl connector test -Dtest=ConfigReferenceTest"
                + " -Dauditpipe.docs.update=true")
        .isEqualTo(expected);
  }

  @Test
  void documentsEveryPublicKey() {
    String doc = ConfigReference.markdown();
    WorkOsSinkConnectorConfig.configDef().configKeys().values().stream()
        .filter(k -> !k.internalConfig)
        .forEach(k -> assertThat(doc).contains("### `" + k.name + "`"));
    assertThat(doc).doesNotContain(WorkOsSinkConnectorConfig.TASK_SHARE_COUNT_CONFIG);
  }
}
