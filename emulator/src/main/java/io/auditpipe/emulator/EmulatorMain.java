package io.auditpipe.emulator;

import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.emulator.http.Json;
import io.auditpipe.emulator.state.RateLimit;
import io.auditpipe.emulator.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar auditpipe-emulator-…-standalone.jar --port 8080 --api-key sk_test_… …}. */
@Command(
    name = "emulator",
    mixinStandardHelpOptions = true,
    description = "Runs the WorkOS Audit Logs emulator until interrupted.")
public final class EmulatorMain implements Callable<Integer> {

  @Option(names = "--host", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port = 8080;

  @Option(
      names = "--api-key",
      description =
          "Accepted API key, repeatable (default: " + WorkOsEmulator.DEFAULT_API_KEY + ").")
  List<String> apiKeys = new ArrayList<>();

  @Option(
      names = "--org",
      paramLabel = "ORG_ID[=EXTERNAL_ID]",
      description =
          "Organization to seed, repeatable (default: "
              + WorkOsEmulator.DEFAULT_ORGANIZATION_ID
              + "=acme).")
  List<String> organizations = new ArrayList<>();

  @Option(
      names = "--rate-limit",
      description = "Per-key limit such as 6000/60s, or off (default: ${DEFAULT-VALUE}).")
  String rateLimit = "6000/60s";

  @Option(names = "--data-dir", description = "Keep events in DIR/events.jsonl across restarts.")
  Path dataDir;

  @Option(
      names = "--idempotency-conflict-status",
      description = "400 or 409 for a reused key with another body (default: ${DEFAULT-VALUE}).")
  int conflictStatus = 409;

  @Option(
      names = "--faults",
      paramLabel = "JSON",
      description =
          "Fault settings, as for PUT /_emulator/faults, e.g. '{\"status_503_rate\":0.1}'.")
  String faults;

  @Option(
      names = "--no-schema-validation",
      description = "Do not check events against their action's schemas.")
  boolean noSchemaValidation;

  @Option(
      names = "--export-ready-after",
      description = "Seconds an export stays pending (default: ${DEFAULT-VALUE}).")
  long exportReadyAfterSeconds = 0;

  @Option(names = "--threads", description = "Maximum server threads (default: ${DEFAULT-VALUE}).")
  int threads = 200;

  @Option(
      names = "--tls",
      description =
          "Serve https (HTTP/2 or HTTP/1.1 by ALPN) with a self-signed certificate, written as PEM"
              + " for clients to trust (see --tls-cert-file), unless --tls-keystore is given.")
  boolean tls;

  @Option(
      names = "--tls-cert-file",
      paramLabel = "PEM",
      description =
          "Where --tls writes its self-signed certificate (default: a new temporary file).")
  Path tlsCertFile;

  @Option(
      names = "--tls-keystore",
      paramLabel = "FILE",
      description = "Serve https with the key and certificate in this PKCS12 or JKS key store.")
  Path tlsKeystore;

  @Option(
      names = "--tls-keystore-password",
      paramLabel = "PASSWORD",
      description = "Password of --tls-keystore (default: empty).")
  String tlsKeystorePassword = "";

  @Option(
      names = "--tls-client-ca",
      paramLabel = "PEM",
      description =
          "With --tls or --tls-keystore: require a client certificate issued by (or equal to) one"
              + " of the certificates in this PEM file (mutual TLS).")
  Path tlsClientCa;

  @Option(
      names = "--latency",
      paramLabel = "DURATION",
      converter = LatencyConverter.class,
      description =
          "Latency added to every API answer, uniform in mean±spread: 80ms, 80ms±20ms or"
              + " 80ms+-20ms (default: none).")
  ResponseLatency latency = ResponseLatency.NONE;

  /** Reads {@code --latency}; a bad value is a usage error saying the expected format. */
  static final class LatencyConverter implements CommandLine.ITypeConverter<ResponseLatency> {
    @Override
    public ResponseLatency convert(String value) {
      try {
        return ResponseLatency.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new EmulatorMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    WorkOsEmulator.Builder b =
        WorkOsEmulator.builder()
            .host(host)
            .port(port)
            .rateLimit(RateLimit.parse(rateLimit))
            .idempotencyConflictStatus(conflictStatus)
            .schemaValidation(!noSchemaValidation)
            .exportReadyAfter(Duration.ofSeconds(exportReadyAfterSeconds))
            .maxThreads(threads);
    apiKeys.forEach(b::apiKey);
    for (String org : organizations) {
      int eq = org.indexOf('=');
      if (eq < 0) {
        b.organization(org, org, Optional.empty());
      } else {
        b.organization(org.substring(0, eq), org.substring(eq + 1));
      }
    }
    if (dataDir != null) {
      b.dataDirectory(dataDir);
    }
    if (faults != null) {
      b.faults(FaultSettings.fromJson(Json.MAPPER.readTree(faults), FaultSettings.NONE));
    }
    if (tlsKeystore != null) {
      b.tls(TlsSettings.keyStore(tlsKeystore, tlsKeystorePassword));
    } else if (tls || tlsCertFile != null) {
      b.tls(new TlsSettings.SelfSigned(Optional.ofNullable(tlsCertFile)));
    }
    if (tlsClientCa != null) {
      b.tlsClientCa(tlsClientCa);
    }
    b.latency(latency);
    CountDownLatch stopped = new CountDownLatch(1);
    WorkOsEmulator emulator = b.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emulator.close();
                  stopped.countDown();
                }));
    System.out.println(
        "WorkOS emulator listening on "
            + emulator.baseUrl()
            + " (rate limit "
            + rateLimit
            + ", organizations "
            + emulator.organizations().size()
            + ", page "
            + emulator.baseUrl()
            + "/"
            + (emulator.latency().isNone() ? "" : ", latency " + emulator.latency())
            + ")");
    emulator
        .certificatePem()
        .ifPresent(pem -> System.out.println("TLS certificate (PEM, trust it in clients): " + pem));
    stopped.await();
    return 0;
  }
}
