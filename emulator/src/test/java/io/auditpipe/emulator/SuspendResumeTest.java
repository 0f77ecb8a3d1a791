package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static io.auditpipe.emulator.Http.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** An outage as clients see it: connections refused and dropped, then the same port and state. */
class SuspendResumeTest {

  @Test
  void refusesConnectionsWhileSuspendedAndComesBackOnTheSamePortWithItsState() throws Exception {
    try (WorkOsEmulator workos = WorkOsEmulator.builder().noRateLimit().start()) {
      int port = workos.port();
      Http before = new Http(workos.baseUrl(), workos.apiKey());
      assertThat(before.post("/audit_logs/events", event(ORG, "a.b"), "key-1").statusCode())
          .isEqualTo(201);

      try (Socket open = new Socket(InetAddress.getLoopbackAddress(), port)) {
        workos.suspend();
        InputStream in = open.getInputStream();
        open.setSoTimeout(5_000);
        assertThat(in.read()).as("an open connection is closed").isEqualTo(-1);
      }
      assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
          .isInstanceOf(ConnectException.class);
      assertThat(workos.port()).isEqualTo(port);
      assertThat(workos.baseUrl().getPort()).isEqualTo(port);

      workos.resume();
      assertThat(workos.port()).isEqualTo(port);
      Http after = new Http(workos.baseUrl(), workos.apiKey());
      assertThat(after.post("/audit_logs/events", event(ORG, "a.b"), "key-1").statusCode())
          .isEqualTo(201);
      assertThat(workos.events(ORG)).hasSize(1);
      assertThat(workos.counters().idempotentReplays()).isEqualTo(1);
    }
  }
}
