package io.auditpipe.workos;

import io.auditpipe.workos.egress.KeyStoreFile;
import io.auditpipe.workos.egress.ProxySettings;
import io.auditpipe.workos.http.BaseUrls;
import io.auditpipe.workos.retry.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an {@link AuditLogClient} or {@link io.auditpipe.workos.api.WorkOsApiClient} needs,
 * validated on construction. Build one with {@link #builder(ApiKey)}; the defaults follow WorkOS's
 * published limits and the official SDKs' retry behaviour.
 *
 * @param baseUrl WorkOS's base URL; {@code https} unless the host is loopback or {@code
 *     allowInsecureHttp}
 * @param apiKey the secret key; masked in {@link #toString()}
 * @param format which API events go to
 * @param maxInFlight sends in progress at once (including those waiting for a retry or a token)
 * @param capacityWait how long {@link AuditLogClient#send} waits for a free slot before refusing
 * @param maxAttempts attempts per event, the first included
 * @param baseBackoff the backoff ceiling of the first retry; doubled on each further retry
 * @param maxBackoff the largest backoff ceiling
 * @param requestTimeout the timeout of one HTTP exchange, the answer's body included
 * @param connectTimeout the timeout of opening a connection
 * @param totalDeadline the time one event may take from {@code send} to its outcome, retries
 *     included
 * @param requestsPerMinute the API key's global budget; {@code 0} turns rate limiting off
 * @param safetyMargin the share of the budget left unused, in {@code [0, 0.5]}
 * @param shareCount how many clients share the key's budget; this client takes {@code 1/shareCount}
 * @param retryAfterCap the longest {@code Retry-After} honoured
 * @param allowInsecureHttp whether plain {@code http} to a non-loopback host is allowed
 * @param userAgent the {@code User-Agent} header, {@code auditpipe/<version>} by default
 * @param httpVersion {@code HTTP_2} (default): over https, HTTP/2 when the server offers it by
 *     ALPN, else HTTP/1.1; over plain http (the loopback emulator), HTTP/2 by prior knowledge
 *     (h2c). {@code HTTP_1_1}: never HTTP/2
 * @param proxy the HTTP proxy the calls go through (https by {@code CONNECT}); none by default
 * @param trustStore the authorities trusted for https (a TLS-inspecting proxy's or a private CA);
 *     the JDK's default trust when empty
 * @param keyStore a client certificate and key, for gateways that require mutual TLS
 */
public record WorkOsClientConfig(
    URI baseUrl,
    ApiKey apiKey,
    DeliveryFormat format,
    int maxInFlight,
    Duration capacityWait,
    int maxAttempts,
    Duration baseBackoff,
    Duration maxBackoff,
    Duration requestTimeout,
    Duration connectTimeout,
    Duration totalDeadline,
    int requestsPerMinute,
    double safetyMargin,
    int shareCount,
    Duration retryAfterCap,
    boolean allowInsecureHttp,
    String userAgent,
    HttpClient.Version httpVersion,
    Optional<ProxySettings> proxy,
    Optional<KeyStoreFile> trustStore,
    Optional<KeyStoreFile> keyStore) {

  /** WorkOS's production API. */
  public static final URI DEFAULT_BASE_URL = URI.create("https://api.workos.com");

  /** WorkOS's published budget: 6,000 requests per minute per API key. */
  public static final int DEFAULT_REQUESTS_PER_MINUTE = 6_000;

  public WorkOsClientConfig {
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(format, "format");
    baseUrl = BaseUrls.normalize(Objects.requireNonNull(baseUrl, "baseUrl"), allowInsecureHttp);
    atLeast("maxInFlight", maxInFlight, 1);
    nonNegative("capacityWait", capacityWait);
    atLeast("maxAttempts", maxAttempts, 1);
    positive("baseBackoff", baseBackoff);
    positive("maxBackoff", maxBackoff);
    if (maxBackoff.compareTo(baseBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff: expected at least baseBackoff (" + baseBackoff + "), found " + maxBackoff);
    }
    positive("requestTimeout", requestTimeout);
    positive("connectTimeout", connectTimeout);
    positive("totalDeadline", totalDeadline);
    atLeast("requestsPerMinute", requestsPerMinute, 0);
    if (!(safetyMargin >= 0 && safetyMargin <= 0.5)) {
      throw new IllegalArgumentException(
          "safetyMargin: expected a fraction in [0, 0.5], found " + safetyMargin);
    }
    atLeast("shareCount", shareCount, 1);
    nonNegative("retryAfterCap", retryAfterCap);
    Objects.requireNonNull(userAgent, "userAgent");
    if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < ' ' || c >= 0x7f)) {
      throw new IllegalArgumentException(
          "userAgent: expected non-blank printable ASCII, found \"" + userAgent + "\"");
    }
    Objects.requireNonNull(httpVersion, "httpVersion");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(trustStore, "trustStore");
    Objects.requireNonNull(keyStore, "keyStore");
  }

  /** A builder with the defaults, for the given key. */
  public static Builder builder(ApiKey apiKey) {
    return new Builder(apiKey);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Whether requests are paced by a token bucket ({@code requestsPerMinute > 0}). */
  public boolean rateLimited() {
    return requestsPerMinute > 0;
  }

  /** This client's ceiling in requests per second: its share of the budget less the margin. */
  public double shareRequestsPerSecond() {
    return requestsPerMinute / 60.0 * (1 - safetyMargin) / shareCount;
  }

  /** When to try a request again under these settings. */
  public RetryPolicy retryPolicy() {
    return new RetryPolicy(maxAttempts, baseBackoff, maxBackoff, retryAfterCap);
  }

  private static void atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + ": expected at least " + min + ", found " + value);
    }
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + ": expected a positive duration, found " + d);
    }
  }

  private static void nonNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + ": expected a non-negative duration, found " + d);
    }
  }

  /** Builds a {@link WorkOsClientConfig}; every setter returns the builder. Not thread-safe. */
  public static final class Builder {
    private URI baseUrl = DEFAULT_BASE_URL;
    private ApiKey apiKey;
    private DeliveryFormat format = DeliveryFormat.AUDIT_LOGS;
    private int maxInFlight = 64;
    private Duration capacityWait = Duration.ofSeconds(30);
    private int maxAttempts = 4;
    private Duration baseBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(8);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration totalDeadline = Duration.ofMinutes(2);
    private int requestsPerMinute = DEFAULT_REQUESTS_PER_MINUTE;
    private double safetyMargin = 0.02;
    private int shareCount = 1;
    private Duration retryAfterCap = Duration.ofSeconds(60);
    private boolean allowInsecureHttp;
    private String userAgent = UserAgent.DEFAULT;
    private HttpClient.Version httpVersion = HttpClient.Version.HTTP_2;
    private Optional<ProxySettings> proxy = Optional.empty();
    private Optional<KeyStoreFile> trustStore = Optional.empty();
    private Optional<KeyStoreFile> keyStore = Optional.empty();

    private Builder(ApiKey apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    }

    private Builder(WorkOsClientConfig c) {
      baseUrl = c.baseUrl;
      apiKey = c.apiKey;
      format = c.format;
      maxInFlight = c.maxInFlight;
      capacityWait = c.capacityWait;
      maxAttempts = c.maxAttempts;
      baseBackoff = c.baseBackoff;
      maxBackoff = c.maxBackoff;
      requestTimeout = c.requestTimeout;
      connectTimeout = c.connectTimeout;
      totalDeadline = c.totalDeadline;
      requestsPerMinute = c.requestsPerMinute;
      safetyMargin = c.safetyMargin;
      shareCount = c.shareCount;
      retryAfterCap = c.retryAfterCap;
      allowInsecureHttp = c.allowInsecureHttp;
      userAgent = c.userAgent;
      httpVersion = c.httpVersion;
      proxy = c.proxy;
      trustStore = c.trustStore;
      keyStore = c.keyStore;
    }

    public Builder baseUrl(URI baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    public Builder baseUrl(String baseUrl) {
      return baseUrl(URI.create(baseUrl));
    }

    public Builder apiKey(ApiKey apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    public Builder format(DeliveryFormat format) {
      this.format = format;
      return this;
    }

    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Builder capacityWait(Duration capacityWait) {
      this.capacityWait = capacityWait;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder baseBackoff(Duration baseBackoff) {
      this.baseBackoff = baseBackoff;
      return this;
    }

    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder totalDeadline(Duration totalDeadline) {
      this.totalDeadline = totalDeadline;
      return this;
    }

    /** The key's global budget per minute; {@code 0} disables client-side rate limiting. */
    public Builder requestsPerMinute(int requestsPerMinute) {
      this.requestsPerMinute = requestsPerMinute;
      return this;
    }

    public Builder safetyMargin(double safetyMargin) {
      this.safetyMargin = safetyMargin;
      return this;
    }

    public Builder shareCount(int shareCount) {
      this.shareCount = shareCount;
      return this;
    }

    public Builder retryAfterCap(Duration retryAfterCap) {
      this.retryAfterCap = retryAfterCap;
      return this;
    }

    public Builder allowInsecureHttp(boolean allowInsecureHttp) {
      this.allowInsecureHttp = allowInsecureHttp;
      return this;
    }

    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    /**
     * {@code HTTP_2} (default): HTTP/2 by ALPN over https (HTTP/1.1 if the server declines), by
     * prior knowledge over plain http; {@code HTTP_1_1}: never HTTP/2.
     */
    public Builder httpVersion(HttpClient.Version httpVersion) {
      this.httpVersion = httpVersion;
      return this;
    }

    /** The HTTP proxy the calls go through; empty (the default) for direct connections. */
    public Builder proxy(Optional<ProxySettings> proxy) {
      this.proxy = proxy;
      return this;
    }

    /** The trust store for https; empty (the default) for the JDK's default trust. */
    public Builder trustStore(Optional<KeyStoreFile> trustStore) {
      this.trustStore = trustStore;
      return this;
    }

    /** The client certificate for mutual TLS; empty (the default) for none. */
    public Builder keyStore(Optional<KeyStoreFile> keyStore) {
      this.keyStore = keyStore;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException naming the first invalid setting, what was expected and what
     *     was found
     */
    public WorkOsClientConfig build() {
      return new WorkOsClientConfig(
          baseUrl,
          apiKey,
          format,
          maxInFlight,
          capacityWait,
          maxAttempts,
          baseBackoff,
          maxBackoff,
          requestTimeout,
          connectTimeout,
          totalDeadline,
          requestsPerMinute,
          safetyMargin,
          shareCount,
          retryAfterCap,
          allowInsecureHttp,
          userAgent,
          httpVersion,
          proxy,
          trustStore,
          keyStore);
    }
  }
}
