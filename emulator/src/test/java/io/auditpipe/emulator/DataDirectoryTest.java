package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static io.auditpipe.emulator.Http.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

  @Test
  void eventsSurviveARestart(@TempDir Path dir) throws Exception {
    try (WorkOsEmulator first = WorkOsEmulator.builder().dataDirectory(dir).start()) {
      Http http = new Http(first.baseUrl(), first.apiKey());
      http.post("/audit_logs/events", event(ORG, "a"), "k");
      http.post("/audit_logs/events", event(ORG, "b"));
    }
    try (WorkOsEmulator second = WorkOsEmulator.builder().dataDirectory(dir).start()) {
      assertThat(second.events(ORG)).extracting(e -> e.event().action()).containsExactly("a", "b");
      assertThat(second.events(ORG).get(0).idempotencyKey()).contains("k");
      assertThat(second.events(ORG).get(1).json().path("metadata").path("plan").asText())
          .isEqualTo("enterprise");
    }
  }
}
