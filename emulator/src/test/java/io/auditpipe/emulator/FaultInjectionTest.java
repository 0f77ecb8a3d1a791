package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static io.auditpipe.emulator.Http.event;
import static io.auditpipe.emulator.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditpipe.emulator.faults.FaultInjector;
import io.auditpipe.emulator.faults.FaultKind;
import io.auditpipe.emulator.faults.FaultSettings;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultInjectionTest {

  @AutoClose static final WorkOsEmulator workos = WorkOsEmulator.builder().noRateLimit().start();

  private Http http;

  @BeforeEach
  void client() {
    workos.reset();
    http = new Http(workos.baseUrl(), workos.apiKey());
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503})
  void statusFaultsAnswerWithoutStoring(int status) throws Exception {
    workos.faults(FaultSettings.NONE.withNext(FaultKind.parse(Integer.toString(status))));

    HttpResponse<String> faulted = http.post("/audit_logs/events", event(ORG, "a"));
    HttpResponse<String> next = http.post("/audit_logs/events", event(ORG, "a"));

    assertThat(faulted.statusCode()).isEqualTo(status);
    assertThat(json(faulted).path("message").asText()).isNotEmpty();
    assertThat(next.statusCode()).isEqualTo(201);
    assertThat(workos.events(ORG)).hasSize(1);
    assertThat(workos.counters().faults("status_" + status)).isEqualTo(1);
  }

  @Test
  void throttleBurstsAnswer429ForTheirLength() throws Exception {
    workos.faults(FaultSettings.NONE.withThrottleBursts(1.0, 3));
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = http.post("/audit_logs/events", event(ORG, "a"));
      statuses.add(r.statusCode());
      assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }
    assertThat(statuses).containsOnly(429);
    assertThat(workos.counters().faults("throttle_429")).isEqualTo(3);
  }

  @Test
  void resetBeforeProcessingLeavesTheClientWithAnIoErrorAndNothingStored() throws Exception {
    workos.faults(FaultSettings.NONE.withNext(FaultKind.RESET_BEFORE));

    assertThatThrownBy(() -> http.post("/audit_logs/events", event(ORG, "a")))
        .isInstanceOf(IOException.class);
    assertThat(workos.events(ORG)).isEmpty();
    assertThat(workos.counters().faults("reset_before")).isEqualTo(1);
  }

  @Test
  void resetAfterProcessingStoresTheEventButNeverAnswers() throws Exception {
    workos.faults(FaultSettings.NONE.withNext(FaultKind.RESET_AFTER));

    assertThatThrownBy(() -> http.post("/audit_logs/events", event(ORG, "a"), "k-1"))
        .isInstanceOf(IOException.class);
    assertThat(workos.events(ORG)).hasSize(1);

    HttpResponse<String> retry = http.post("/audit_logs/events", event(ORG, "a"), "k-1");
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(workos.events(ORG)).hasSize(1);
    assertThat(workos.counters().faults("reset_after")).isEqualTo(1);
  }

  @Test
  void slowResponsesStillAnswer() throws Exception {
    workos.faults(FaultSettings.NONE.withSlowResponses(1.0, 50));

    HttpResponse<String> r = http.post("/audit_logs/events", event(ORG, "a"));

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.body()).isEqualTo("{\"success\":true}");
    assertThat(workos.counters().faults("slow")).isEqualTo(1);
  }

  @Test
  void latencyIsCountedPerRequest() throws Exception {
    workos.faults(FaultSettings.NONE.withLatency(1, 5));

    http.post("/audit_logs/events", event(ORG, "a"));
    http.post("/audit_logs/events", event(ORG, "a"));

    assertThat(workos.counters().faults("latency")).isEqualTo(2);
  }

  @Test
  void aSeedGivesTheSameSequence() {
    FaultSettings s = FaultSettings.NONE.withStatusRate(503, 0.3).withResets(0.1, 0.1).withSeed(42);
    FaultInjector a = new FaultInjector(s);
    FaultInjector b = new FaultInjector(s);
    for (int i = 0; i < 200; i++) {
      assertThat(a.decide()).isEqualTo(b.decide());
    }
  }

  @Test
  void faultsAreSetAtRunTimeOverHttp() throws Exception {
    HttpRequest put =
        HttpRequest.newBuilder(workos.baseUrl().resolve("/_emulator/faults"))
            .PUT(HttpRequest.BodyPublishers.ofString("{\"status_500_rate\":1.0,\"seed\":7}"))
            .build();
    HttpResponse<String> r = http.send(put);

    assertThat(json(r).path("status_500_rate").asDouble()).isEqualTo(1.0);
    assertThat(http.post("/audit_logs/events", event(ORG, "a")).statusCode()).isEqualTo(500);
    assertThat(http.get("/_emulator/counters").statusCode()).isEqualTo(200);

    HttpResponse<String> bad =
        http.send(
            HttpRequest.newBuilder(workos.baseUrl().resolve("/_emulator/faults"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"status_500_rate\":2}"))
                .build());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).path("message").asText()).contains("status_500_rate");
  }
}
