package io.auditpipe.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.cli.CommandRun;
import io.auditpipe.cli.ExitCodes;
import io.auditpipe.emulator.WorkOsEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The day-2 commands that call WorkOS, against the emulator. */
class WorkOsCommandsTest {

  private static final String KEY = "sk_test_day2";
  private static final String ORG = "org_01HV8Z6YF5N2X0ACME000000";

  @TempDir static Path dir;

  private static WorkOsEmulator workos;
  private static Path keyFile;

  @BeforeAll
  static void startEmulator() throws Exception {
    workos =
        WorkOsEmulator.builder().apiKey(KEY).organization(ORG, "Acme", Optional.empty()).start();
    keyFile = Files.writeString(dir.resolve("key"), KEY + "\n");
  }

  @AfterAll
  static void stopEmulator() {
    workos.close();
  }

  @Test
  void schemasPushCreatesANewSchemaVersionPerActionOfTheRules() {
    String rules = RulesOf.example("outbox").toString();

    CommandRun first = run("schemas", "push", rules);
    CommandRun second = run("schemas", "push", rules);

    assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCodes.OK);
    assertThat(first.outLines())
        .containsExactly(
            "invoice.issued: created schema version 1", "invoice.voided: created schema version 1");
    assertThat(second.outLines())
        .containsExactly(
            "invoice.issued: created schema version 2", "invoice.voided: created schema version 2");
  }

  @Test
  void retentionIsSetAndReadBack() {
    CommandRun set = run("retention", "set", "--org", ORG, "--days", "365");
    CommandRun get = run("retention", "get", "--org", ORG);

    assertThat(set.exitCode()).as(set.err()).isEqualTo(ExitCodes.OK);
    assertThat(set.out()).contains(ORG + ": retention set to 365 days");
    assertThat(get.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(get.out()).contains(ORG + ": 365 days");
  }

  @Test
  void retentionOtherThan30Or365IsAUsageError() {
    CommandRun run = run("retention", "set", "--org", ORG, "--days", "90");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--days: expected 30 or 365, found 90");
  }

  @Test
  void anUnknownOrganizationIsReportedWithWorkOsAnswer() {
    CommandRun run = run("retention", "get", "--org", "org_unknown");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.err()).contains("HTTP 404");
  }

  @Test
  void exportDownloadsTheCsvOfTheOrganizationsEventsFilteredByAction() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    post("user.signed_in", now.minusSeconds(120));
    post("invoice.paid", now.minusSeconds(60));
    Path csv = dir.resolve("export.csv");

    CommandRun run =
        run(
            "export",
            "--org",
            ORG,
            "--from",
            now.minus(1, ChronoUnit.HOURS).toString(),
            "--to",
            now.plusSeconds(60).toString(),
            "--action",
            "invoice.paid",
            "--poll-interval",
            "PT0.1S",
            "-o",
            csv.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
    assertThat(lines.subList(1, lines.size()))
        .allSatisfy(l -> assertThat(l).contains("invoice.paid"))
        .noneSatisfy(l -> assertThat(l).contains("user.signed_in"));
    assertThat(run.err()).contains("written to " + csv);
  }

  @Test
  void withoutAnApiKeyNothingIsSent() {
    CommandRun run =
        CommandRun.of(
            "retention",
            "get",
            "--org",
            ORG,
            "--workos-url",
            workos.baseUrl().toString(),
            "--api-key-file",
            dir.resolve("missing").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.err()).contains("cannot read the API key").doesNotContain(KEY);
  }

  @Test
  void aTrustStoreWithoutCertificatesIsReportedByItsOption() throws Exception {
    Path empty = java.nio.file.Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
    CommandRun run = run("retention", "get", "--org", ORG, "--truststore", empty.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.err()).contains("--truststore").doesNotContain("workos.ssl");
  }

  private static CommandRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of("--workos-url", workos.baseUrl().toString(), "--api-key-file", keyFile.toString()));
    return CommandRun.of(all.toArray(String[]::new));
  }

  private static void post(String action, Instant occurredAt) throws Exception {
    String body =
        "{\"organization_id\":\""
            + ORG
            + "\",\"event\":{\"action\":\""
            + action
            + "\",\"occurred_at\":\""
            + occurredAt
            + "\",\"actor\":{\"id\":\"user_1\",\"type\":\"user\"},"
            + "\"targets\":[{\"id\":\"t_1\",\"type\":\"thing\"}],"
            + "\"context\":{\"location\":\"203.0.113.7\"}}}";
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(workos.baseUrl() + "/audit_logs/events"))
                    .header("Authorization", "Bearer " + KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
  }
}
