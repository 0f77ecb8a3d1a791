package io.auditpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees when something is wrong: the exact text, one line naming the file, host or
 * option and what was expected — never a Java class name or a stack trace — and the exit code of
 * the convention in {@code auditpipe --help}.
 */
class UserFacingMessagesTest {

  private static final String NL = System.lineSeparator();

  @TempDir Path dir;

  @Test
  void aMissingRulesFileIsNamedAsSuch() {
    CommandRun run = CommandRun.of("rules", "validate", "my-rules.json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.err())
        .isEqualTo("my-rules.json: no such file" + NL + "my-rules.json: 1 error(s)" + NL);
  }

  @Test
  void aWorkOsThatIsNotThereIsNamedWithTheReason() throws Exception {
    int port = freePort();
    Path key = Files.writeString(dir.resolve("key"), "sk_test_x");

    CommandRun run =
        CommandRun.of(
            "export",
            "--workos-url",
            "http://127.0.0.1:" + port,
            "--api-key-file",
            key.toString(),
            "--org",
            "org_1",
            "--from",
            "2026-03-01T00:00:00Z",
            "--to",
            "2026-03-02T00:00:00Z");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.errLines())
        .containsExactly(
            "create export failed: cannot connect to 127.0.0.1:"
                + port
                + ": connection refused (is it running?)");
  }

  @Test
  void aWorkOsUrlThatIsNotOneNamesTheOption() throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "sk_test_x");

    CommandRun run =
        CommandRun.of(
            "retention",
            "get",
            "--org",
            "org_1",
            "--workos-url",
            "ftp://example.com",
            "--api-key-file",
            key.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.err())
        .isEqualTo("--workos-url: expected an http or https URL, found scheme \"ftp\"" + NL);
  }

  @Test
  void plainHttpToAnotherHostOffersTheOptionThatAllowsIt() throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "sk_test_x");

    CommandRun run =
        CommandRun.of(
            "retention",
            "get",
            "--org",
            "org_1",
            "--workos-url",
            "http://workos.example.com",
            "--api-key-file",
            key.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.err())
        .isEqualTo(
            "--workos-url: expected https (the API key would travel in clear text), found http to"
                + " workos.example.com; plain http is only allowed to a loopback host or with"
                + " --allow-insecure-http"
                + NL);
    assertThat(CommandRun.of("retention", "get", "--help").out()).contains("--allow-insecure-http");
  }

  @Test
  void localInTheOpsJarPointsToTheSandbox() {
    CommandRun run = CommandRun.of("local", "--duration", "30s");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("bin/auditpipe local").doesNotContain("Exception");
    assertThat(CommandRun.of("--help").out()).contains("local", "bin/auditpipe local");
  }

  @Test
  void durationsAreWrittenAsPeopleWriteThem() {
    assertThat(OptionTypes.duration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(OptionTypes.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(OptionTypes.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(OptionTypes.duration("PT30S")).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aPortOutOfRangeIsAUsageError() {
    CommandRun run = CommandRun.of("emulator", "--port", "99999");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .isEqualTo(
            "auditpipe emulator: Invalid value for option '--port': expected a port from 0 to"
                + " 65535 (0: any free port), found '99999'"
                + NL
                + "Try 'auditpipe emulator --help' for usage."
                + NL);
  }

  @Test
  void jsonProblemsAreSaidWithoutJacksonInternals() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.json"), "{\"version\": 1,\n");
    Path input =
        Files.writeString(dir.resolve("events.jsonl"), "{\"a\": 1} {\"b\": 2}\n{\"a\": {\n");

    CommandRun validate = CommandRun.of("rules", "validate", rules.toString());
    CommandRun preview =
        CommandRun.of(
            "rules",
            "preview",
            RulesOfExample.appEvents(),
            "--topic",
            "app.events",
            "--input",
            input.toString(),
            "--timestamp",
            "2026-01-01T00:00:00Z");

    assertThat(validate.errLines().get(0))
        .isEqualTo(
            rules
                + ": not valid JSON at line 2, column 1: Unexpected end-of-input within/between"
                + " Object entries");
    assertThat(preview.errLines())
        .containsExactly(
            "line 1, offset 0: not JSON (column 10): expected one JSON value, found more text"
                + " after it",
            "line 2, offset 1: not JSON (column 8): Unexpected end-of-input: expected close marker"
                + " for Object",
            "2 record(s): 0 mapped into 0 event(s), 0 unmatched, 0 failed, 2 not JSON");
  }

  @Test
  void anUnexpectedErrorIsOneLineAndTheStackTraceOnlyOnRequest() {
    ErrorReporter quiet = new ErrorReporter(false);
    picocli.CommandLine commandLine = AuditpipeCommand.commandLine();
    java.io.StringWriter err = new java.io.StringWriter();
    commandLine.setErr(new java.io.PrintWriter(err, true));

    int code =
        quiet.handleExecutionException(
            new NullPointerException("Cannot invoke \"java.lang.String.length()\""),
            commandLine,
            commandLine.parseArgs("rules", "validate", "x.json"));

    assertThat(code).isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString())
        .isEqualTo(
            "auditpipe: internal error; set AUDITPIPE_STACKTRACE=1 for the stack trace and"
                + " report it"
                + NL);
  }

  @Test
  void dlqInspectAgainstADeadBrokerFailsAtOnceInOneLine() throws Exception {
    int port = freePort();
    Instant started = Instant.now();

    CommandRun run =
        CommandRun.of(
            "dlq", "inspect", "--bootstrap-servers", "127.0.0.1:" + port, "--topic", "dlq");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.err())
        .isEqualTo(
            "dlq: cannot reach Kafka at 127.0.0.1:"
                + port
                + ": connection refused (is it running there?)"
                + NL);
    assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void helpStatesTheExitCodeConvention() {
    String help = CommandRun.of("--help").out();

    assertThat(help)
        .contains("0   Success.")
        .contains("1   The command could not do its job")
        .contains("2   Invalid command-line usage")
        .contains("AUDITPIPE_STACKTRACE=1");
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The app-events example's rules, from the repository. */
  static final class RulesOfExample {
    static String appEvents() {
      for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
        Path rules = p.resolve("examples/app-events/rules.json");
        if (Files.isRegularFile(rules)) {
          return rules.toString();
        }
      }
      throw new IllegalStateException("no examples/app-events/rules.json");
    }
  }

  @SuppressWarnings("unused")
  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
