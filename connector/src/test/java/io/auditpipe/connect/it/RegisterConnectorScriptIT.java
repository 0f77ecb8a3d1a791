package io.auditpipe.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.testkit.emulator.Emulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, defect 1: {@code docker/register-connector.sh} validates and registers the connector
 * configs it ships against a real Connect worker. The configs are copied with only the container
 * paths and environment references replaced by this test's — their shape, no {@code "name"}
 * included, stays what the script meets in docker compose.
 */
class RegisterConnectorScriptIT {

  private static EmbeddedConnectCluster connect;
  private static Emulator workos;
  private static Path repository;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    connect = ConnectClusterSupport.sharedCluster();
    workos = Emulator.start(ConnectClusterSupport.TEST_API_KEY);
    repository = Path.of("").toAbsolutePath().getParent();
  }

  @AfterAll
  static void stop() {
    workos.close();
  }

  @Test
  void registersEveryShippedConfig() throws Exception {
    List<String> names = new ArrayList<>();
    try (Stream<Path> shipped = Files.list(repository.resolve("docker/connect/connectors"))) {
      for (Path config : shipped.sorted().toList()) {
        String name = config.getFileName().toString().replace(".json", "");
        names.add(name);
        Files.writeString(dir.resolve(name + ".json"), asHere(Files.readString(config)));
      }
    }

    Result result = runScript(dir);

    assertThat(result.exitCode()).as(result.output()).isZero();
    for (String name : names) {
      assertThat(result.output()).contains("registered " + name);
      assertThat(connect.connectors()).contains(name);
      connect.deleteConnector(name);
    }
  }

  @Test
  void refusesAConfigConnectRejectsAndSaysWhichKey() throws Exception {
    Path shipped = repository.resolve("docker/connect/connectors/auditpipe-app-events.json");
    Files.writeString(
        dir.resolve("auditpipe-broken.json"),
        asHere(Files.readString(shipped))
            .replace("\"auditpipe.input.mode\": \"domain\"", "\"auditpipe.input.mode\": \"nope\""));

    Result result = runScript(dir);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .contains("auditpipe-broken: Connect rejects the config (HTTP 200, \"error_count\":1)")
        .contains("\"name\":\"auditpipe.input.mode\"")
        .doesNotContain("registered");
    assertThat(connect.connectors()).doesNotContain("auditpipe-broken");
  }

  /** The container's paths and environment references replaced by this test's. */
  private String asHere(String config) {
    return config
        .replace("/etc/auditpipe/examples/", repository.resolve("examples") + "/")
        .replace("${env:WORKOS_BASE_URL}", workos.baseUrl())
        .replace("${env:WORKOS_API_KEY}", ConnectClusterSupport.apiKeyReference());
  }

  private record Result(int exitCode, String output) {}

  private static Result runScript(Path connectors) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash",
                repository.resolve("docker/register-connector.sh").toString(),
                connect.endpointForResource("").replaceAll("/$", ""))
            .redirectErrorStream(true);
    builder.environment().put("AUDITPIPE_CONNECTORS_DIR", connectors.toString());
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the script did not finish in 60 s");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
