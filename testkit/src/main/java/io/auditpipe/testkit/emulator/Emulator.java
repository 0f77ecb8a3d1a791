package io.auditpipe.testkit.emulator;

import io.auditpipe.core.model.AuditEvent;
import io.auditpipe.emulator.WorkOsEmulator;
import io.auditpipe.emulator.faults.FaultSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The WorkOS emulator as the integration tests use it: one per test class, one org per test. */
public final class Emulator implements AutoCloseable {

  /** An event the emulator stored, with the idempotency key it came with. */
  public record Stored(AuditEvent event, String idempotencyKey) {}

  private static final AtomicInteger ORGS = new AtomicInteger();

  private final WorkOsEmulator emulator;

  private Emulator(WorkOsEmulator emulator) {
    this.emulator = emulator;
  }

  /** An emulator that accepts {@code apiKey}, without rate limit, validating schemas. */
  public static Emulator start(String apiKey) {
    return new Emulator(
        WorkOsEmulator.builder().apiKey(apiKey).noRateLimit().schemaValidation(true).start());
  }

  public String baseUrl() {
    return emulator.baseUrl().toString();
  }

  /** Accepts another API key, as a second key of the environment. */
  public void acceptApiKey(String key) {
    emulator.acceptApiKey(key);
  }

  /** Refuses a key from now on, as WorkOS does after a rotation. */
  public void revokeApiKey(String key) {
    emulator.revokeApiKey(key);
  }

  /** Stops listening (connections refused), state kept. */
  public void suspend() {
    emulator.suspend();
  }

  /** Listens again on the same port. */
  public void resume() {
    emulator.resume();
  }

  /** A new organization; its id. */
  public String createOrganization(String name) {
    String id = "org_it_" + name + "_" + ORGS.incrementAndGet();
    emulator.addOrganization(id, name, Optional.empty());
    return id;
  }

  /** A new organization with a tenant's external id; its id. */
  public String createOrganization(String name, String externalId) {
    String id = "org_it_" + name + "_" + ORGS.incrementAndGet();
    emulator.addOrganization(id, name, Optional.of(externalId));
    return id;
  }

  /** Registers a schema for {@code action} whose metadata key must be a string. */
  public void requireMetadataString(String action, String key) throws Exception {
    String body =
        "{\"targets\":[{\"type\":\"order\"}],\"metadata\":{\"type\":\"object\",\"properties\":{\""
            + key
            + "\":{\"type\":\"string\"}}}}";
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(baseUrl()).resolve("/audit_logs/actions/" + action + "/schemas"))
                    .header("Authorization", "Bearer " + emulator.apiKey())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new AssertionError("creating the schema failed: " + response.body());
    }
  }

  public List<Stored> events(String organizationId) {
    return emulator.events(organizationId).stream()
        .map(e -> new Stored(e.event(), e.idempotencyKey().orElse("")))
        .toList();
  }

  /** Random 503s, 429 bursts and connection resets after the event is stored. */
  public void injectFaults(double status503Rate, double throttleBurstRate, double resetAfterRate) {
    emulator.faults(
        FaultSettings.NONE
            .withSeed(42)
            .withStatusRate(503, status503Rate)
            .withThrottleBursts(throttleBurstRate, 3)
            .withResets(0, resetAfterRate));
  }

  public long faultsInjected() {
    return emulator.counters().faults().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Faults of one kind ({@code status_503}, {@code throttle_429}, …) injected so far. */
  public long faultsInjected(String kind) {
    return emulator.counters().faults(kind);
  }

  /** Every answer delayed by {@code minMs} to {@code maxMs}. */
  public void slowAnswers(long minMs, long maxMs) {
    emulator.faults(FaultSettings.NONE.withSeed(7).withLatency(minMs, maxMs));
  }

  public void clearFaults() {
    emulator.faults(FaultSettings.NONE);
  }

  @Override
  public void close() {
    emulator.close();
  }
}
