package io.auditpipe.testkit.emulator;

import io.auditpipe.emulator.EmulatorCounters;
import io.auditpipe.emulator.ResponseLatency;
import io.auditpipe.emulator.WorkOsEmulator;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.emulator.state.RateLimit;
import io.auditpipe.emulator.state.StoredEvent;
import io.auditpipe.emulator.tls.TlsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a {@link WorkOsEmulator} on a free loopback port for a test class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static WorkOsEmulatorExtension workos = WorkOsEmulatorExtension.builder()
 *     .organization("org_01EHWNCE74X7JSDV0X3SZ3KJNY", "acme")
 *     .build();
 * }</pre>
 *
 * <p>As a static field it starts once before all tests and is {@link WorkOsEmulator#reset() reset}
 * before each test (unless {@link Builder#resetBetweenTests(boolean)} is off); as an instance field
 * it starts and stops around each test.
 */
public final class WorkOsEmulatorExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final WorkOsEmulator.Builder config;
  private final boolean resetBetweenTests;
  private WorkOsEmulator emulator;
  private boolean perTest;

  private WorkOsEmulatorExtension(Builder b) {
    this.config = b.config;
    this.resetBetweenTests = b.resetBetweenTests;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    emulator = config.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (emulator == null) {
      perTest = true;
      emulator = config.start();
    } else if (resetBetweenTests) {
      emulator.reset();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      stop();
    }
  }

  private void stop() {
    if (emulator != null) {
      emulator.close();
      emulator = null;
    }
  }

  /** The running emulator. */
  public WorkOsEmulator emulator() {
    if (emulator == null) {
      throw new IllegalStateException("the WorkOS emulator runs only while tests run");
    }
    return emulator;
  }

  /** {@code http://127.0.0.1:port}: the WorkOS base URL for clients under test. */
  public URI baseUrl() {
    return emulator().baseUrl();
  }

  /** Where the self-signed TLS certificate was written as PEM; empty without TLS. */
  public Optional<Path> certificatePem() {
    return emulator().certificatePem();
  }

  public String apiKey() {
    return emulator().apiKey();
  }

  /** The organization's stored events, in the order accepted. */
  public List<StoredEvent> events(String organizationId) {
    return emulator().events(organizationId);
  }

  public List<StoredEvent> events() {
    return emulator().events();
  }

  public EmulatorCounters counters() {
    return emulator().counters();
  }

  public FaultSettings faults() {
    return emulator().faults();
  }

  /** Replaces the fault settings for the rest of the test. */
  public void faults(FaultSettings settings) {
    emulator().faults(settings);
  }

  public void reset() {
    emulator().reset();
  }

  /** Configuration of the emulator the extension runs; see {@link WorkOsEmulator.Builder}. */
  public static final class Builder {
    private final WorkOsEmulator.Builder config = WorkOsEmulator.builder();
    private boolean resetBetweenTests = true;

    private Builder() {}

    public Builder apiKey(String apiKey) {
      config.apiKey(apiKey);
      return this;
    }

    public Builder organization(String id, String externalId) {
      config.organization(id, externalId);
      return this;
    }

    public Builder rateLimit(Optional<RateLimit> limit) {
      config.rateLimit(limit);
      return this;
    }

    public Builder noRateLimit() {
      config.noRateLimit();
      return this;
    }

    public Builder idempotencyConflictStatus(int status) {
      config.idempotencyConflictStatus(status);
      return this;
    }

    public Builder clock(Clock clock) {
      config.clock(clock);
      return this;
    }

    public Builder dataDirectory(Path dir) {
      config.dataDirectory(dir);
      return this;
    }

    public Builder faults(FaultSettings faults) {
      config.faults(faults);
      return this;
    }

    public Builder schemaValidation(boolean on) {
      config.schemaValidation(on);
      return this;
    }

    public Builder exportReadyAfter(Duration d) {
      config.exportReadyAfter(d);
      return this;
    }

    /** Serves https by ALPN; see {@link WorkOsEmulator#certificatePem()} for the PEM to trust. */
    public Builder tls(TlsSettings tls) {
      config.tls(tls);
      return this;
    }

    /** With {@link #tls}: requires a client certificate issued by one in this PEM file. */
    public Builder tlsClientCa(Path pem) {
      config.tlsClientCa(pem);
      return this;
    }

    /** Adds this latency to every API answer, e.g. {@code ResponseLatency.parse("80ms±20ms")}. */
    public Builder latency(ResponseLatency latency) {
      config.latency(latency);
      return this;
    }

    /** Any other setting of the underlying builder. */
    public Builder configure(Consumer<WorkOsEmulator.Builder> c) {
      c.accept(config);
      return this;
    }

    /** Whether a static extension resets the emulator before each test; default on. */
    public Builder resetBetweenTests(boolean on) {
      this.resetBetweenTests = on;
      return this;
    }

    public WorkOsEmulatorExtension build() {
      return new WorkOsEmulatorExtension(this);
    }
  }
}
