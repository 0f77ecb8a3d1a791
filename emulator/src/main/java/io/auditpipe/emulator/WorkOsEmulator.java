package io.auditpipe.emulator;

import io.auditpipe.emulator.faults.FaultInjector;
import io.auditpipe.emulator.faults.FaultSettings;
import io.auditpipe.emulator.http.ApiRoutes;
import io.auditpipe.emulator.http.EmulatorHandler;
import io.auditpipe.emulator.http.EncodedNulConnectionFactory;
import io.auditpipe.emulator.http.EncodedNulHttp2;
import io.auditpipe.emulator.http.InspectionRoutes;
import io.auditpipe.emulator.http.JsonErrorHandler;
import io.auditpipe.emulator.schemas.SchemaRegistry;
import io.auditpipe.emulator.state.Counters;
import io.auditpipe.emulator.state.EventJournal;
import io.auditpipe.emulator.state.EventStore;
import io.auditpipe.emulator.state.IdempotencyCache;
import io.auditpipe.emulator.state.Organization;
import io.auditpipe.emulator.state.OrganizationDirectory;
import io.auditpipe.emulator.state.RateLimit;
import io.auditpipe.emulator.state.RateLimiter;
import io.auditpipe.emulator.state.RecentAnswers;
import io.auditpipe.emulator.state.StoredEvent;
import io.auditpipe.emulator.tls.ClientCertificates;
import io.auditpipe.emulator.tls.SelfSignedCertificate;
import io.auditpipe.emulator.tls.TlsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * A running WorkOS Audit Logs emulator: an embedded Jetty server speaking the WorkOS API, with its
 * state open for assertions.
 *
 * <pre>{@code
 * try (WorkOsEmulator workos = WorkOsEmulator.builder()
 *     .apiKey("sk_test_123")
 *     .organization("org_01EHWNCE74X7JSDV0X3SZ3KJNY", "acme")
 *     .start()) {
 *   URI base = workos.baseUrl();
 *   ...
 *   workos.events("org_01EHWNCE74X7JSDV0X3SZ3KJNY");
 * }
 * }</pre>
 */
public final class WorkOsEmulator implements AutoCloseable {

  /** The API key accepted when none is configured. */
  public static final String DEFAULT_API_KEY = "sk_test_auditpipe_emulator";

  /** The organization seeded when none is configured (external id {@code acme}). */
  public static final String DEFAULT_ORGANIZATION_ID = "org_01EHWNCE74X7JSDV0X3SZ3KJNY";

  private final Server server;
  private final ServerConnector connector;
  private final String host;
  private final List<String> apiKeys;
  // Live: a test can revoke a key (a rotated key) while clients hold it.
  private final Set<String> acceptedKeys = ConcurrentHashMap.newKeySet();
  private final FaultSettings initialFaults;
  private final Optional<RateLimit> initialRateLimit;
  private final OrganizationDirectory organizations;
  private final EventStore store;
  private final SchemaRegistry schemas;
  private final IdempotencyCache idempotency;
  private final RateLimiter rateLimiter;
  private final FaultInjector faults;
  private final Counters counters;
  private final ApiRoutes api;
  private final Optional<EventJournal> journal;
  private final RecentAnswers recent;
  private final Optional<TlsSettings> tls;
  private final Optional<Path> certificatePem;
  private final ResponseLatency latency;

  private WorkOsEmulator(Builder b) throws Exception {
    Clock clock = b.clock;
    this.host = b.host;
    this.apiKeys = List.copyOf(b.apiKeys.isEmpty() ? Set.of(DEFAULT_API_KEY) : b.apiKeys);
    acceptedKeys.addAll(apiKeys);
    List<Organization> seeded = new ArrayList<>(b.organizations);
    if (seeded.isEmpty()) {
      seeded.add(
          new Organization(DEFAULT_ORGANIZATION_ID, "Acme", Optional.of("acme"), clock.instant()));
    }
    this.initialFaults = b.faults;
    this.initialRateLimit = b.rateLimit;
    this.organizations = new OrganizationDirectory(clock, seeded);
    this.journal = b.dataDirectory.map(EventJournal::new);
    this.store = new EventStore(journal);
    this.schemas = new SchemaRegistry(clock);
    this.idempotency = new IdempotencyCache(clock);
    this.rateLimiter = new RateLimiter(clock, b.rateLimit);
    this.faults = new FaultInjector(b.faults);
    this.counters = new Counters();
    this.recent = new RecentAnswers(clock);
    this.tls = b.tls;
    this.latency = b.latency;
    this.api =
        new ApiRoutes(clock, organizations, store, schemas, b.schemaValidation, b.exportReadyAfter);
    InspectionRoutes inspection =
        new InspectionRoutes(
            store, organizations, faults, this::counters, this::reset, api, recent);

    QueuedThreadPool threads = new QueuedThreadPool(b.maxThreads, 4);
    threads.setName("workos-emulator");
    threads.setDaemon(true);
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    // Encoded '/', '\', '%', NUL or newline in a path segment are part of an identifier for
    // WorkOS: accept them, and let the routes decode segment by segment (PathSegments). NUL, which
    // no compliance mode admits, is masked for Jetty: EncodedNulConnectionFactory over HTTP/1.1,
    // EncodedNulHttp2 over HTTP/2.
    http.setUriCompliance(UriCompliance.UNSAFE);
    // One selector per core: create-event is handled on the selector thread (see
    // EmulatorHandler), so Jetty's default of one selector on 2 cores would use only one.
    int cores = Runtime.getRuntime().availableProcessors();
    Optional<Path> pem = Optional.empty();
    if (b.tlsClientCa.isPresent() && b.tls.isEmpty()) {
      throw new IllegalArgumentException("tls-client-ca: requires --tls or --tls-keystore");
    }
    if (b.tls.isPresent()) {
      // https as WorkOS serves it: HTTP/2 or HTTP/1.1, chosen by ALPN.
      http.addCustomizer(new SecureRequestCustomizer(false));
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      TlsSettings t = b.tls.get();
      if (t instanceof TlsSettings.SelfSigned self) {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(b.host);
        char[] password = "emulator".toCharArray();
        ssl.setKeyStore(cert.keyStore(password));
        ssl.setKeyStorePassword(new String(password));
        Path file =
            self.pemFile()
                .orElseGet(
                    () -> {
                      try {
                        return Files.createTempFile("workos-emulator-", ".pem");
                      } catch (IOException e) {
                        throw new UncheckedIOException("cannot create the certificate file", e);
                      }
                    });
        cert.writePem(file);
        pem = Optional.of(file.toAbsolutePath());
      } else if (t instanceof TlsSettings.KeyStoreFile ks) {
        if (!Files.isReadable(ks.path())) {
          throw new IllegalArgumentException("tls-keystore: no readable key store at " + ks.path());
        }
        ssl.setKeyStorePath(ks.path().toString());
        ssl.setKeyStorePassword(ks.password());
      }
      if (b.tlsClientCa.isPresent()) {
        ssl.setTrustStore(ClientCertificates.trustStore(b.tlsClientCa.get()));
        ssl.setNeedClientAuth(true);
      }
      HTTP2ServerConnectionFactory h2 = new EncodedNulHttp2.Tls(http);
      // As many streams per connection as api.workos.com's edge advertises, more than Jetty's 128.
      h2.setMaxConcurrentStreams(256);
      HttpConnectionFactory h1 = new EncodedNulConnectionFactory(http);
      ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
      alpn.setDefaultProtocol(h1.getProtocol());
      this.connector =
          new ServerConnector(
              server,
              1,
              Math.max(2, cores),
              new SslConnectionFactory(ssl, alpn.getProtocol()),
              alpn,
              h2,
              h1);
    } else {
      // HTTP/1.1 and cleartext HTTP/2 (h2c, by upgrade or prior knowledge) share the port: WorkOS
      // offers HTTP/2, so clients that negotiate it are tested in the protocol they use in
      // production, while HTTP/1.1-only clients (OkHttp over http, wrk, curl) keep working.
      this.connector =
          new ServerConnector(
              server,
              1,
              Math.max(2, cores),
              new EncodedNulConnectionFactory(http),
              new EncodedNulHttp2.Cleartext(http));
    }
    this.certificatePem = pem;
    connector.setHost(b.host);
    connector.setPort(b.port);
    connector.setAcceptQueueSize(1024);
    connector.addBean(
        new Connection.Listener() {
          @Override
          public void onClosed(Connection connection) {
            counters.closed(connection);
          }
        });
    server.addConnector(connector);
    server.setErrorHandler(
        new JsonErrorHandler(
            (status, message, method, path) ->
                recent.add(status, Optional.empty(), message, "", method, path)));
    // Response latency waits on a timer, never on a sleeping server thread.
    ScheduledExecutorScheduler latencyTimer =
        new ScheduledExecutorScheduler("workos-emulator-latency", true);
    server.addBean(latencyTimer);
    server.setHandler(
        new EmulatorHandler(
            new EmulatorHandler.Parts(
                acceptedKeys,
                b.idempotencyConflictStatus,
                counters,
                faults,
                rateLimiter,
                idempotency,
                api,
                inspection,
                journal.isPresent(),
                threads,
                b.latency,
                latencyTimer,
                recent)));
    server.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://host:port}, or {@code https://…} with TLS: the WorkOS base URL for clients. */
  public URI baseUrl() {
    String h = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    return URI.create((tls.isPresent() ? "https" : "http") + "://" + h + ":" + port());
  }

  /** Where the self-signed certificate was written as PEM, for clients to trust; else empty. */
  public Optional<Path> certificatePem() {
    return certificatePem;
  }

  /** The latency added to every API answer. */
  public ResponseLatency latency() {
    return latency;
  }

  /** Recent API answers that were not a success, oldest first (at most 500). */
  public List<RecentAnswers.Answer> recentFailures() {
    return recent.all();
  }

  /** The port; while {@link #suspend() suspended}, the one it will listen on again. */
  public int port() {
    int local = connector.getLocalPort();
    return local > 0 ? local : connector.getPort();
  }

  /**
   * Stops listening and closes every open connection, as an unreachable WorkOS would: clients get
   * "connection refused" until {@link #resume()}. Stored events, idempotency keys and every other
   * state are kept.
   */
  public synchronized void suspend() {
    if (!connector.isStarted()) {
      return;
    }
    connector.setPort(connector.getLocalPort());
    try {
      connector.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot suspend the emulator", e);
    }
  }

  /** Listens again on the same port, with the state it had when {@link #suspend() suspended}. */
  public synchronized void resume() {
    if (connector.isStarted()) {
      return;
    }
    try {
      connector.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot listen again on port " + connector.getPort(), e);
    }
  }

  /** The first configured API key. */
  public String apiKey() {
    return apiKeys.get(0);
  }

  public List<String> apiKeys() {
    return apiKeys;
  }

  /** Accepts {@code key} from now on, beside the configured keys. */
  public void acceptApiKey(String key) {
    acceptedKeys.add(Objects.requireNonNull(key, "key"));
  }

  /** Refuses {@code key} (401) from now on, as WorkOS does once a key is revoked or rotated. */
  public void revokeApiKey(String key) {
    acceptedKeys.remove(key);
  }

  /** The organization's stored events, in the order accepted. */
  public List<StoredEvent> events(String organizationId) {
    return store.events(organizationId);
  }

  /** Every stored event, in the order accepted. */
  public List<StoredEvent> events() {
    return store.all();
  }

  public long eventCount() {
    return store.count();
  }

  /**
   * The most recent idempotency conflicts (oldest first), each with the request ids, body lengths
   * and hashes of the two requests: to diagnose a conflict nobody expected.
   */
  public List<IdempotencyCache.ConflictReport> idempotencyConflicts() {
    return idempotency.conflicts();
  }

  public EmulatorCounters counters() {
    return counters.snapshot(store.count());
  }

  public FaultSettings faults() {
    return faults.settings();
  }

  /** Replaces the fault settings (and reseeds the draws). */
  public void faults(FaultSettings settings) {
    faults.set(Objects.requireNonNull(settings, "settings"));
  }

  /** Replaces the rate limit; empty turns it off. */
  public void rateLimit(Optional<RateLimit> limit) {
    rateLimiter.limit(limit);
  }

  /**
   * Adds (or replaces) an organization at run time.
   *
   * @throws IllegalArgumentException when another organization has this external id
   */
  public Organization addOrganization(String id, String name, Optional<String> externalId) {
    return organizations.add(id, name, externalId);
  }

  public List<Organization> organizations() {
    return organizations.all();
  }

  /**
   * Forgets events (journal included), idempotency keys, schemas, exports, legacy events,
   * retention, counters and rate-limit windows; restores the start-up organizations, faults and
   * rate limit.
   */
  public void reset() {
    store.clear();
    idempotency.clear();
    schemas.clear();
    api.clear();
    organizations.reset();
    counters.reset();
    recent.clear();
    rateLimiter.limit(initialRateLimit);
    faults.set(initialFaults);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the emulator", e);
    } finally {
      journal.ifPresent(EventJournal::close);
    }
  }

  /** Configuration; every setting has a default. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private final Set<String> apiKeys = new LinkedHashSet<>();
    private final List<Organization> organizations = new ArrayList<>();
    private Optional<RateLimit> rateLimit = Optional.of(RateLimit.WORKOS);
    private int idempotencyConflictStatus = 409;
    private Clock clock = Clock.systemUTC();
    private Optional<Path> dataDirectory = Optional.empty();
    private FaultSettings faults = FaultSettings.NONE;
    private boolean schemaValidation = true;
    private Duration exportReadyAfter = Duration.ZERO;
    private int maxThreads = 200;
    private Optional<TlsSettings> tls = Optional.empty();
    private Optional<Path> tlsClientCa = Optional.empty();
    private ResponseLatency latency = ResponseLatency.NONE;

    private Builder() {}

    /** The interface to bind; default {@code 127.0.0.1}. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port; default 0, any free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Accepts this key (repeatable); default {@link #DEFAULT_API_KEY}. */
    public Builder apiKey(String apiKey) {
      apiKeys.add(Objects.requireNonNull(apiKey, "apiKey"));
      return this;
    }

    /**
     * Seeds an organization named after its id; default {@link #DEFAULT_ORGANIZATION_ID} with
     * external id {@code acme}, only when no organization is configured.
     */
    public Builder organization(String id, String externalId) {
      return organization(id, id, Optional.of(externalId));
    }

    /** Seeds an organization. */
    public Builder organization(String id, String name, Optional<String> externalId) {
      organizations.add(new Organization(id, name, externalId, clock.instant()));
      return this;
    }

    /** Per-key rate limit; default WorkOS's 6,000/60 s; empty turns it off. */
    public Builder rateLimit(Optional<RateLimit> rateLimit) {
      this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
      return this;
    }

    /** No rate limit. */
    public Builder noRateLimit() {
      return rateLimit(Optional.empty());
    }

    /** Status for a reused idempotency key with a different body: 409 (default) or 400. */
    public Builder idempotencyConflictStatus(int status) {
      if (status != 400 && status != 409) {
        throw new IllegalArgumentException("expected 400 or 409, found " + status);
      }
      this.idempotencyConflictStatus = status;
      return this;
    }

    /** The clock of idempotency expiry, rate-limit windows and exports; default system UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Keeps events in {@code dir/events.jsonl} across restarts; default memory only. */
    public Builder dataDirectory(Path dir) {
      this.dataDirectory = Optional.of(dir);
      return this;
    }

    /** Faults from the start (and after each reset); default none. */
    public Builder faults(FaultSettings faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** Whether events are checked against their action's schemas; default on. */
    public Builder schemaValidation(boolean on) {
      this.schemaValidation = on;
      return this;
    }

    /** How long an export stays {@code pending}; default zero (ready on the first GET). */
    public Builder exportReadyAfter(Duration d) {
      this.exportReadyAfter = Objects.requireNonNull(d, "d");
      return this;
    }

    /** Maximum server threads; default 200. */
    public Builder maxThreads(int n) {
      this.maxThreads = n;
      return this;
    }

    /** Serves https (HTTP/2 or HTTP/1.1 by ALPN) instead of cleartext; default off. */
    public Builder tls(TlsSettings tls) {
      this.tls = Optional.of(tls);
      return this;
    }

    /**
     * With {@link #tls}: requires every client to present a certificate issued by (or equal to) one
     * of the certificates in this PEM file, as a mutual-TLS gateway does; default none required.
     */
    public Builder tlsClientCa(Path pem) {
      this.tlsClientCa = Optional.of(pem);
      return this;
    }

    /** Adds this latency to every API answer (not to {@code /_emulator}); default none. */
    public Builder latency(ResponseLatency latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
      return this;
    }

    /** Starts the server; the emulator is ready when this returns. */
    public WorkOsEmulator start() {
      try {
        return new WorkOsEmulator(this);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the emulator on " + host + ":" + port, e);
      }
    }
  }
}
