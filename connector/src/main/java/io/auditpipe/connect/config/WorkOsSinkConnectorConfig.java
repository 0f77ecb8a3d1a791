package io.auditpipe.connect.config;

import io.auditpipe.core.rules.UnmatchedPolicy;
import io.auditpipe.workos.ApiKey;
import io.auditpipe.workos.DeliveryFormat;
import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.egress.KeyStoreFile;
import io.auditpipe.workos.egress.KeyStores;
import io.auditpipe.workos.egress.ProxySettings;
import io.auditpipe.workos.egress.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The connector's configuration: every key, its documentation, default and validator. */
// ConfigDef.Type as Type is how Kafka's own configs read; nothing else here is named Type.
@SuppressWarnings("BadImport")
public final class WorkOsSinkConnectorConfig extends AbstractConfig {

  public static final String WORKOS_GROUP = "WorkOS";
  public static final String MAPPING_GROUP = "Mapping";
  public static final String BEHAVIOR_GROUP = "Behavior";
  public static final String BUFFER_GROUP = "Buffer";
  public static final String EGRESS_GROUP = "Proxy and TLS";

  public static final String API_KEY_CONFIG = "workos.api.key";
  static final String API_KEY_DOC =
      "The WorkOS API key (sk_...). A secret: give it through a ConfigProvider such as"
          + " ${env:WORKOS_API_KEY} or ${file:/run/secrets/workos.properties:api.key}; it is never"
          + " logged or written to a dead-letter header.";

  public static final String BASE_URL_CONFIG = "workos.base.url";
  static final String BASE_URL_DOC =
      "WorkOS's base URL. Plain http is refused unless the host is loopback (the emulator) or"
          + " workos.allow.insecure.http is true.";
  public static final String BASE_URL_DEFAULT = WorkOsClientConfig.DEFAULT_BASE_URL.toString();

  public static final String ALLOW_INSECURE_HTTP_CONFIG = "workos.allow.insecure.http";
  static final String ALLOW_INSECURE_HTTP_DOC =
      "Whether plain http to a non-loopback host is allowed (a TLS-terminating proxy on the"
          + " worker's network).";

  public static final String API_FORMAT_CONFIG = "workos.api.format";
  static final String API_FORMAT_DOC =
      "Which WorkOS API events go to: audit_logs (POST /audit_logs/events) or audit_trail (the"
          + " legacy POST /events).";
  public static final String API_FORMAT_DEFAULT = "audit_logs";

  public static final String HTTP_VERSION_CONFIG = "workos.http.version";
  static final String HTTP_VERSION_DOC =
      "HTTP_2: over https, HTTP/2 negotiated by ALPN, every request on one connection (a server"
          + " that declines h2 gets one HTTP/1.1 connection); over plain http (the loopback"
          + " emulator), HTTP/2 by prior knowledge. HTTP_1_1: never HTTP/2, one connection per"
          + " request in flight, e.g. behind a TLS-inspecting proxy that does not speak h2.";
  public static final String HTTP_VERSION_DEFAULT = "HTTP_2";

  public static final String RATE_LIMIT_CONFIG = "workos.rate.limit.requests.per.minute";
  static final String RATE_LIMIT_DOC =
      "The whole connector's request budget per minute (WorkOS allows 6,000 per API key). The"
          + " tasks in one worker divide it by demand, so a lone busy task can use all of it; tasks"
          + " in other workers are probed around (docs/deploy.md, section 5). 0 turns client-side"
          + " rate limiting off.";
  public static final int RATE_LIMIT_DEFAULT = WorkOsClientConfig.DEFAULT_REQUESTS_PER_MINUTE;

  public static final String RATE_LIMIT_MARGIN_CONFIG = "workos.rate.limit.safety.margin";
  static final String RATE_LIMIT_MARGIN_DOC =
      "The share of the rate limit left unused, so clock skew and other clients do not cause 429s.";
  public static final double RATE_LIMIT_MARGIN_DEFAULT = 0.02;

  public static final String MAX_IN_FLIGHT_CONFIG = "workos.max.in.flight";
  static final String MAX_IN_FLIGHT_DOC =
      "Requests in progress at once per task, retries and rate-limit waits included. On a worker"
          + " JVM that sees 2 CPUs or fewer each request in progress holds a sender thread (the JDK"
          + " HTTP client would otherwise start a thread per answer), so this also bounds those"
          + " threads per task.";
  public static final int MAX_IN_FLIGHT_DEFAULT = 64;

  public static final String RETRY_MAX_ATTEMPTS_CONFIG = "workos.retry.max.attempts";
  static final String RETRY_MAX_ATTEMPTS_DOC =
      "Attempts per event in one round, the first included, for 408, 429, 5xx and I/O errors."
          + " An event whose round fails is not given up: it waits for WorkOS (see"
          + " auditpipe.outage.behavior) and its next round starts with the same idempotency key.";
  public static final int RETRY_MAX_ATTEMPTS_DEFAULT = 6;

  public static final String RETRY_BACKOFF_MS_CONFIG = "workos.retry.backoff.ms";
  static final String RETRY_BACKOFF_MS_DOC =
      "The backoff ceiling of the first retry; doubled per retry, with full jitter.";
  public static final long RETRY_BACKOFF_MS_DEFAULT = 500;

  public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "workos.retry.backoff.max.ms";
  static final String RETRY_BACKOFF_MAX_MS_DOC = "The largest backoff ceiling.";
  public static final long RETRY_BACKOFF_MAX_MS_DEFAULT = 8_000;

  public static final String RETRY_DEADLINE_MS_CONFIG = "workos.retry.deadline.ms";
  static final String RETRY_DEADLINE_MS_DOC =
      "The time one round of attempts of an event may take, retries included; then it waits for"
          + " WorkOS like an event whose attempts ran out (see auditpipe.outage.behavior).";
  public static final long RETRY_DEADLINE_MS_DEFAULT = 120_000;

  public static final String REQUEST_TIMEOUT_MS_CONFIG = "workos.request.timeout.ms";
  static final String REQUEST_TIMEOUT_MS_DOC =
      "The timeout of one HTTP exchange with WorkOS, from sending the request to the end of the"
          + " answer's body; an exchange that runs out of time is retried.";
  public static final long REQUEST_TIMEOUT_MS_DEFAULT = 10_000;

  public static final String RULES_CONFIG = "auditpipe.rules";
  static final String RULES_DOC =
      "The rules document (JSON, see docs/rules.md) inline. Exactly one of auditpipe.rules and"
          + " auditpipe.rules.path is required in input mode domain.";

  public static final String RULES_PATH_CONFIG = "auditpipe.rules.path";
  static final String RULES_PATH_DOC =
      "Path of a UTF-8 rules document present on every worker; the alternative to"
          + " auditpipe.rules.";

  public static final String INPUT_MODE_CONFIG = "auditpipe.input.mode";
  static final String INPUT_MODE_DOC =
      "domain: records are domain events mapped by the rules. audit-event: records are already"
          + " mapped (Avro AuditLogEvent from the processor, as a Struct or single-object"
          + " encoded bytes, or JSON in WorkOS's request-body shape) and are delivered as they are.";
  public static final String INPUT_MODE_DEFAULT = InputMode.DOMAIN.externalName();

  public static final String BEHAVIOR_ON_UNMATCHED_CONFIG = "auditpipe.behavior.on.unmatched";
  static final String BEHAVIOR_ON_UNMATCHED_DOC =
      "What a record no rule selects does: skip (counted) or dlq. Empty: as the rules document's"
          + " \"unmatched\" says.";

  public static final String BEHAVIOR_ON_NULL_VALUES_CONFIG = "auditpipe.behavior.on.null.values";
  static final String BEHAVIOR_ON_NULL_VALUES_DOC =
      "What a record with a null value (a tombstone) does: skip, dlq, or fail the task.";
  public static final String BEHAVIOR_ON_NULL_VALUES_DEFAULT =
      NullValueBehavior.SKIP.externalName();

  /** Replaced by {@link #OUTAGE_BEHAVIOR_CONFIG}; kept so that validation says so. */
  public static final String BEHAVIOR_ON_EXHAUSTED_CONFIG =
      "auditpipe.behavior.on.retries.exhausted";

  static final String BEHAVIOR_ON_EXHAUSTED_DOC =
      "Replaced: transient failures (408, 429, 5xx, I/O errors, timeouts) no longer fail the task or"
          + " dead-letter an event after a number of attempts. Leave it unset; set"
          + " auditpipe.outage.behavior and auditpipe.outage.max.duration.ms for a bound on outages,"
          + " and auditpipe.poison.event.timeout.ms for events that keep failing alone.";

  public static final String OUTAGE_BEHAVIOR_CONFIG = "auditpipe.outage.behavior";
  static final String OUTAGE_BEHAVIOR_DOC =
      "What the task does while WorkOS is unavailable (408, 429, 5xx, I/O errors, timeouts,"
          + " unreachable, for every event): after a few failed events in a row the task stops"
          + " sending, lets its buffer fill (which pauses its partitions), probes WorkOS with one"
          + " event after a backoff that doubles up to auditpipe.outage.probe.backoff.max.ms, and"
          + " resumes by itself when the probe succeeds. wait: keep doing so however long the outage"
          + " lasts. fail: fail the task once WorkOS has been unavailable for"
          + " auditpipe.outage.max.duration.ms (stock Connect leaves a failed task failed until it"
          + " is restarted through the REST API). dlq: from then on, dead-letter the records waiting"
          + " for WorkOS until it is back (needs errors.tolerance=all and a DLQ topic).";
  public static final String OUTAGE_BEHAVIOR_DEFAULT = OutageBehavior.WAIT.externalName();

  public static final String OUTAGE_MAX_DURATION_MS_CONFIG = "auditpipe.outage.max.duration.ms";
  static final String OUTAGE_MAX_DURATION_MS_DOC =
      "How long WorkOS may be unavailable before auditpipe.outage.behavior fail or dlq applies;"
          + " ignored under wait.";
  public static final long OUTAGE_MAX_DURATION_MS_DEFAULT = 60L * 60 * 1000;

  public static final String OUTAGE_PROBE_BACKOFF_MAX_MS_CONFIG =
      "auditpipe.outage.probe.backoff.max.ms";
  static final String OUTAGE_PROBE_BACKOFF_MAX_MS_DOC =
      "The longest wait between two probes of an unavailable WorkOS; the first comes after"
          + " workos.retry.backoff.ms and each failed probe doubles the wait. WorkOS back is"
          + " noticed at most this long after it recovers, plus one probe.";
  public static final long OUTAGE_PROBE_BACKOFF_MAX_MS_DEFAULT = 15_000;

  public static final String POISON_EVENT_TIMEOUT_MS_CONFIG = "auditpipe.poison.event.timeout.ms";
  static final String POISON_EVENT_TIMEOUT_MS_DOC =
      "How long one event (or its organization lookup) may keep failing transiently while WorkOS"
          + " is available (other events are delivered) before its record is dead-lettered with the"
          + " last cause, so that it cannot hold its partition's offsets for ever. Time while WorkOS"
          + " is unavailable does not count.";
  public static final long POISON_EVENT_TIMEOUT_MS_DEFAULT = 6L * 60 * 60 * 1000;

  public static final String BUFFER_MAX_RECORDS_CONFIG = "auditpipe.buffer.max.records";
  static final String BUFFER_MAX_RECORDS_DOC =
      "Records taken but not yet resolved (delivered, skipped or dead-lettered) at which the task"
          + " pauses its partitions; they resume once at most half of it is held. The put() that"
          + " reaches the bound keeps its whole batch, so the task holds at most this many records"
          + " plus one consumer poll (max.poll.records) less one.";
  public static final int BUFFER_MAX_RECORDS_DEFAULT = 10_000;

  public static final String BUFFER_MAX_BYTES_CONFIG = "auditpipe.buffer.max.bytes";
  static final String BUFFER_MAX_BYTES_DOC =
      "Estimated bytes of records taken but not yet resolved at which the task pauses its"
          + " partitions; they resume once at most half of it is held. A record counts its value's"
          + " size (characters of a string; 1 KiB for a Struct or map). The put() that reaches the"
          + " bound keeps its whole batch, so the task may hold up to one consumer poll more.";
  public static final long BUFFER_MAX_BYTES_DEFAULT = 64L * 1024 * 1024;

  public static final String PROXY_URL_CONFIG = "workos.proxy.url";
  static final String PROXY_URL_DOC =
      "An HTTP proxy for every WorkOS call, http://host:port; https is tunnelled through it with"
          + " CONNECT, so TLS stays end to end unless the proxy inspects it (then set"
          + " workos.ssl.truststore.location to its CA). Empty: direct connections.";
  public static final String PROXY_USERNAME_CONFIG = "workos.proxy.username";
  static final String PROXY_USERNAME_DOC =
      "The proxy user, when the proxy requires authentication (sent as Basic credentials).";
  public static final String PROXY_PASSWORD_CONFIG = "workos.proxy.password";
  static final String PROXY_PASSWORD_DOC =
      "The proxy user's password. A secret: use a ConfigProvider, e.g. ${env:PROXY_PASSWORD};"
          + " never logged. A proxy that refuses the credentials (407) stops delivery with an"
          + " error naming this key.";

  public static final String TRUSTSTORE_LOCATION_CONFIG = "workos.ssl.truststore.location";
  static final String TRUSTSTORE_LOCATION_DOC =
      "The authorities trusted for https instead of the JDK's defaults: a PEM file of"
          + " certificates, or a PKCS12/JKS trust store. For a TLS-inspecting proxy or a private CA."
          + " Empty: the JDK's default trust.";
  public static final String TRUSTSTORE_PASSWORD_CONFIG = "workos.ssl.truststore.password";
  static final String TRUSTSTORE_PASSWORD_DOC =
      "The trust store's password (PKCS12/JKS; not needed for PEM).";
  public static final String TRUSTSTORE_TYPE_CONFIG = "workos.ssl.truststore.type";
  static final String TRUSTSTORE_TYPE_DOC =
      "PEM, PKCS12 or JKS. Empty: inferred from the file (.pem/.crt or PEM text, .jks, else"
          + " PKCS12).";

  public static final String KEYSTORE_LOCATION_CONFIG = "workos.ssl.keystore.location";
  static final String KEYSTORE_LOCATION_DOC =
      "A client certificate and its private key, for gateways that require mutual TLS: PKCS12,"
          + " JKS, or PEM (certificate chain and an unencrypted PKCS#8 key). Empty: none.";
  public static final String KEYSTORE_PASSWORD_CONFIG = "workos.ssl.keystore.password";
  static final String KEYSTORE_PASSWORD_DOC =
      "The key store's password, also used for the key in it.";
  public static final String KEYSTORE_TYPE_CONFIG = "workos.ssl.keystore.type";
  static final String KEYSTORE_TYPE_DOC = "PEM, PKCS12 or JKS. Empty: inferred from the file.";

  /** Set by the connector on each task's config: how many tasks share the rate limit. */
  public static final String TASK_SHARE_COUNT_CONFIG = "auditpipe.task.share.count";

  private static final ConfigDef CONFIG_DEF = buildConfigDef();

  public WorkOsSinkConnectorConfig(Map<?, ?> originals) {
    super(CONFIG_DEF, originals);
  }

  /** The definition of every key; the source of docs/connector-config.md. */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG_DEF);
  }

  private static ConfigDef buildConfigDef() {
    ConfigDef def = new ConfigDef();
    int order = 0;
    def.define(
            API_KEY_CONFIG,
            Type.PASSWORD,
            ConfigDef.NO_DEFAULT_VALUE,
            new ApiKeyValidator(),
            Importance.HIGH,
            API_KEY_DOC,
            WORKOS_GROUP,
            ++order,
            Width.LONG,
            "WorkOS API key")
        .define(
            BASE_URL_CONFIG,
            Type.STRING,
            BASE_URL_DEFAULT,
            new ConfigDef.NonEmptyString(),
            Importance.MEDIUM,
            BASE_URL_DOC,
            WORKOS_GROUP,
            ++order,
            Width.LONG,
            "WorkOS base URL")
        .define(
            ALLOW_INSECURE_HTTP_CONFIG,
            Type.BOOLEAN,
            false,
            Importance.LOW,
            ALLOW_INSECURE_HTTP_DOC,
            WORKOS_GROUP,
            ++order,
            Width.SHORT,
            "Allow insecure http")
        .define(
            API_FORMAT_CONFIG,
            Type.STRING,
            API_FORMAT_DEFAULT,
            ValidString.in("audit_logs", "audit_trail"),
            Importance.LOW,
            API_FORMAT_DOC,
            WORKOS_GROUP,
            ++order,
            Width.SHORT,
            "WorkOS API",
            new FixedRecommender("audit_logs", "audit_trail"))
        .define(
            HTTP_VERSION_CONFIG,
            Type.STRING,
            HTTP_VERSION_DEFAULT,
            ValidString.in("HTTP_2", "HTTP_1_1"),
            Importance.LOW,
            HTTP_VERSION_DOC,
            WORKOS_GROUP,
            ++order,
            Width.SHORT,
            "HTTP version",
            new FixedRecommender("HTTP_2", "HTTP_1_1"))
        .define(
            RATE_LIMIT_CONFIG,
            Type.INT,
            RATE_LIMIT_DEFAULT,
            Range.atLeast(0),
            Importance.MEDIUM,
            RATE_LIMIT_DOC,
            WORKOS_GROUP,
            ++order,
            Width.SHORT,
            "Rate limit (requests/min)")
        .define(
            RATE_LIMIT_MARGIN_CONFIG,
            Type.DOUBLE,
            RATE_LIMIT_MARGIN_DEFAULT,
            Range.between(0.0, 0.5),
            Importance.LOW,
            RATE_LIMIT_MARGIN_DOC,
            WORKOS_GROUP,
            ++order,
            Width.SHORT,
            "Rate limit safety margin")
        .define(
            MAX_IN_FLIGHT_CONFIG,
            Type.INT,
            MAX_IN_FLIGHT_DEFAULT,
            Range.between(1, 4096),
            Importance.MEDIUM,
            MAX_IN_FLIGHT_DOC,
            WORKOS_GROUP,
            ++order,
            Width.SHORT,
            "Max in-flight requests")
        .define(
            RETRY_MAX_ATTEMPTS_CONFIG,
            Type.INT,
            RETRY_MAX_ATTEMPTS_DEFAULT,
            Range.between(1, 100),
            Importance.LOW,
            RETRY_MAX_ATTEMPTS_DOC,
            WORKOS_GROUP,
            ++order,
            Width.SHORT,
            "Max attempts")
        .define(
            RETRY_BACKOFF_MS_CONFIG,
            Type.LONG,
            RETRY_BACKOFF_MS_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            RETRY_BACKOFF_MS_DOC,
            WORKOS_GROUP,
            ++order,
            Width.SHORT,
            "Retry backoff (ms)")
        .define(
            RETRY_BACKOFF_MAX_MS_CONFIG,
            Type.LONG,
            RETRY_BACKOFF_MAX_MS_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            RETRY_BACKOFF_MAX_MS_DOC,
            WORKOS_GROUP,
            ++order,
            Width.SHORT,
            "Max retry backoff (ms)")
        .define(
            RETRY_DEADLINE_MS_CONFIG,
            Type.LONG,
            RETRY_DEADLINE_MS_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            RETRY_DEADLINE_MS_DOC,
            WORKOS_GROUP,
            ++order,
            Width.SHORT,
            "Delivery deadline (ms)")
        .define(
            REQUEST_TIMEOUT_MS_CONFIG,
            Type.LONG,
            REQUEST_TIMEOUT_MS_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            REQUEST_TIMEOUT_MS_DOC,
            WORKOS_GROUP,
            ++order,
            Width.SHORT,
            "Request timeout (ms)");
    order = 0;
    def.define(
            RULES_CONFIG,
            Type.STRING,
            null,
            Importance.HIGH,
            RULES_DOC,
            MAPPING_GROUP,
            ++order,
            Width.LONG,
            "Rules document")
        .define(
            RULES_PATH_CONFIG,
            Type.STRING,
            null,
            Importance.HIGH,
            RULES_PATH_DOC,
            MAPPING_GROUP,
            ++order,
            Width.LONG,
            "Rules file")
        .define(
            INPUT_MODE_CONFIG,
            Type.STRING,
            INPUT_MODE_DEFAULT,
            ValidString.in(InputMode.externalNames()),
            Importance.MEDIUM,
            INPUT_MODE_DOC,
            MAPPING_GROUP,
            ++order,
            Width.SHORT,
            "Input mode",
            new FixedRecommender(InputMode.externalNames()));
    order = 0;
    def.define(
            BEHAVIOR_ON_UNMATCHED_CONFIG,
            Type.STRING,
            "",
            ValidString.in("", "skip", "dlq"),
            Importance.MEDIUM,
            BEHAVIOR_ON_UNMATCHED_DOC,
            BEHAVIOR_GROUP,
            ++order,
            Width.SHORT,
            "On unmatched records",
            new FixedRecommender("", "skip", "dlq"))
        .define(
            BEHAVIOR_ON_NULL_VALUES_CONFIG,
            Type.STRING,
            BEHAVIOR_ON_NULL_VALUES_DEFAULT,
            ValidString.in(NullValueBehavior.externalNames()),
            Importance.MEDIUM,
            BEHAVIOR_ON_NULL_VALUES_DOC,
            BEHAVIOR_GROUP,
            ++order,
            Width.SHORT,
            "On null values",
            new FixedRecommender(NullValueBehavior.externalNames()))
        .define(
            OUTAGE_BEHAVIOR_CONFIG,
            Type.STRING,
            OUTAGE_BEHAVIOR_DEFAULT,
            ValidString.in(OutageBehavior.externalNames()),
            Importance.MEDIUM,
            OUTAGE_BEHAVIOR_DOC,
            BEHAVIOR_GROUP,
            ++order,
            Width.SHORT,
            "On WorkOS outages",
            new FixedRecommender(OutageBehavior.externalNames()))
        .define(
            OUTAGE_MAX_DURATION_MS_CONFIG,
            Type.LONG,
            OUTAGE_MAX_DURATION_MS_DEFAULT,
            Range.atLeast(0),
            Importance.MEDIUM,
            OUTAGE_MAX_DURATION_MS_DOC,
            BEHAVIOR_GROUP,
            ++order,
            Width.SHORT,
            "Outage bound (ms)")
        .define(
            OUTAGE_PROBE_BACKOFF_MAX_MS_CONFIG,
            Type.LONG,
            OUTAGE_PROBE_BACKOFF_MAX_MS_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            OUTAGE_PROBE_BACKOFF_MAX_MS_DOC,
            BEHAVIOR_GROUP,
            ++order,
            Width.SHORT,
            "Probe backoff bound (ms)")
        .define(
            POISON_EVENT_TIMEOUT_MS_CONFIG,
            Type.LONG,
            POISON_EVENT_TIMEOUT_MS_DEFAULT,
            Range.atLeast(0),
            Importance.MEDIUM,
            POISON_EVENT_TIMEOUT_MS_DOC,
            BEHAVIOR_GROUP,
            ++order,
            Width.SHORT,
            "Poison event timeout (ms)")
        .define(
            BEHAVIOR_ON_EXHAUSTED_CONFIG,
            Type.STRING,
            null,
            new Replaced(OUTAGE_BEHAVIOR_CONFIG),
            Importance.LOW,
            BEHAVIOR_ON_EXHAUSTED_DOC,
            BEHAVIOR_GROUP,
            ++order,
            Width.SHORT,
            "On retries exhausted (replaced)");
    order = 0;
    def.define(
            BUFFER_MAX_RECORDS_CONFIG,
            Type.INT,
            BUFFER_MAX_RECORDS_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            BUFFER_MAX_RECORDS_DOC,
            BUFFER_GROUP,
            ++order,
            Width.SHORT,
            "Buffer bound (records)")
        .define(
            BUFFER_MAX_BYTES_CONFIG,
            Type.LONG,
            BUFFER_MAX_BYTES_DEFAULT,
            Range.atLeast(1024),
            Importance.LOW,
            BUFFER_MAX_BYTES_DOC,
            BUFFER_GROUP,
            ++order,
            Width.SHORT,
            "Buffer bound (bytes)");
    defineEgress(def);
    def.defineInternal(
        TASK_SHARE_COUNT_CONFIG,
        Type.INT,
        1,
        Range.atLeast(1),
        Importance.LOW,
        "How many tasks share the rate limit; set by the connector.");
    return def;
  }

  private static void defineEgress(ConfigDef def) {
    int order = 0;
    ConfigDef.Validator storeType = ValidString.in("", "PEM", "PKCS12", "JKS");
    def.define(
            PROXY_URL_CONFIG,
            Type.STRING,
            "",
            new ProxyUrlValidator(),
            Importance.MEDIUM,
            PROXY_URL_DOC,
            EGRESS_GROUP,
            ++order,
            Width.LONG,
            "Proxy URL")
        .define(
            PROXY_USERNAME_CONFIG,
            Type.STRING,
            "",
            Importance.LOW,
            PROXY_USERNAME_DOC,
            EGRESS_GROUP,
            ++order,
            Width.MEDIUM,
            "Proxy user")
        .define(
            PROXY_PASSWORD_CONFIG,
            Type.PASSWORD,
            null,
            Importance.LOW,
            PROXY_PASSWORD_DOC,
            EGRESS_GROUP,
            ++order,
            Width.MEDIUM,
            "Proxy password")
        .define(
            TRUSTSTORE_LOCATION_CONFIG,
            Type.STRING,
            "",
            new ReadableFileValidator(),
            Importance.MEDIUM,
            TRUSTSTORE_LOCATION_DOC,
            EGRESS_GROUP,
            ++order,
            Width.LONG,
            "Trust store")
        .define(
            TRUSTSTORE_PASSWORD_CONFIG,
            Type.PASSWORD,
            null,
            Importance.LOW,
            TRUSTSTORE_PASSWORD_DOC,
            EGRESS_GROUP,
            ++order,
            Width.MEDIUM,
            "Trust store password")
        .define(
            TRUSTSTORE_TYPE_CONFIG,
            Type.STRING,
            "",
            storeType,
            Importance.LOW,
            TRUSTSTORE_TYPE_DOC,
            EGRESS_GROUP,
            ++order,
            Width.SHORT,
            "Trust store type",
            new FixedRecommender("PEM", "PKCS12", "JKS"))
        .define(
            KEYSTORE_LOCATION_CONFIG,
            Type.STRING,
            "",
            new ReadableFileValidator(),
            Importance.LOW,
            KEYSTORE_LOCATION_DOC,
            EGRESS_GROUP,
            ++order,
            Width.LONG,
            "Client certificate")
        .define(
            KEYSTORE_PASSWORD_CONFIG,
            Type.PASSWORD,
            null,
            Importance.LOW,
            KEYSTORE_PASSWORD_DOC,
            EGRESS_GROUP,
            ++order,
            Width.MEDIUM,
            "Key store password")
        .define(
            KEYSTORE_TYPE_CONFIG,
            Type.STRING,
            "",
            storeType,
            Importance.LOW,
            KEYSTORE_TYPE_DOC,
            EGRESS_GROUP,
            ++order,
            Width.SHORT,
            "Key store type",
            new FixedRecommender("PEM", "PKCS12", "JKS"));
  }

  /** The API key, wrapped so that it cannot be printed. */
  public ApiKey apiKey() {
    Password password = getPassword(API_KEY_CONFIG);
    return ApiKey.of(password.value());
  }

  public InputMode inputMode() {
    return InputMode.fromExternalName(getString(INPUT_MODE_CONFIG));
  }

  /** The unmatched policy set in the config, overriding the rules document's. */
  public Optional<UnmatchedPolicy> unmatchedOverride() {
    String value = getString(BEHAVIOR_ON_UNMATCHED_CONFIG);
    return value == null || value.isEmpty()
        ? Optional.empty()
        : Optional.of(UnmatchedPolicy.valueOf(value.toUpperCase(Locale.ROOT)));
  }

  public NullValueBehavior nullValueBehavior() {
    return NullValueBehavior.fromExternalName(getString(BEHAVIOR_ON_NULL_VALUES_CONFIG));
  }

  public OutageBehavior outageBehavior() {
    return OutageBehavior.fromExternalName(getString(OUTAGE_BEHAVIOR_CONFIG));
  }

  public Duration outageMaxDuration() {
    return Duration.ofMillis(getLong(OUTAGE_MAX_DURATION_MS_CONFIG));
  }

  public Duration outageProbeBackoffMax() {
    return Duration.ofMillis(getLong(OUTAGE_PROBE_BACKOFF_MAX_MS_CONFIG));
  }

  public Duration poisonEventTimeout() {
    return Duration.ofMillis(getLong(POISON_EVENT_TIMEOUT_MS_CONFIG));
  }

  /** The first wait before probing an unavailable WorkOS: the first retry's backoff ceiling. */
  public Duration outageProbeBackoff() {
    return Duration.ofMillis(getLong(RETRY_BACKOFF_MS_CONFIG));
  }

  public int bufferMaxRecords() {
    return getInt(BUFFER_MAX_RECORDS_CONFIG);
  }

  public long bufferMaxBytes() {
    return getLong(BUFFER_MAX_BYTES_CONFIG);
  }

  /**
   * The rules document text, inline or read from its file.
   *
   * @throws ConfigException if neither or both keys are set, or the file cannot be read
   */
  public String rulesDocument() {
    String inline = getString(RULES_CONFIG);
    String path = getString(RULES_PATH_CONFIG);
    boolean hasInline = inline != null && !inline.isBlank();
    boolean hasPath = path != null && !path.isBlank();
    if (hasInline == hasPath) {
      throw new ConfigException(
          RULES_CONFIG,
          hasInline ? "(set)" : "(not set)",
          "expected exactly one of "
              + RULES_CONFIG
              + " and "
              + RULES_PATH_CONFIG
              + ", found "
              + (hasInline ? "both" : "neither"));
    }
    if (hasInline) {
      return inline;
    }
    try {
      return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      throw new ConfigException(
          RULES_PATH_CONFIG,
          path,
          "expected a readable UTF-8 rules file, found " + e.getClass().getSimpleName());
    }
  }

  /**
   * The delivery client's configuration for one task.
   *
   * @throws ConfigException naming the key of the first invalid setting
   */
  public WorkOsClientConfig clientConfig() {
    try {
      long backoff = getLong(RETRY_BACKOFF_MS_CONFIG);
      long maxBackoff = Math.max(backoff, getLong(RETRY_BACKOFF_MAX_MS_CONFIG));
      return WorkOsClientConfig.builder(apiKey())
          .baseUrl(getString(BASE_URL_CONFIG))
          .allowInsecureHttp(getBoolean(ALLOW_INSECURE_HTTP_CONFIG))
          .format(
              "audit_trail".equals(getString(API_FORMAT_CONFIG))
                  ? DeliveryFormat.AUDIT_TRAIL
                  : DeliveryFormat.AUDIT_LOGS)
          .httpVersion(HttpClient.Version.valueOf(getString(HTTP_VERSION_CONFIG)))
          .maxInFlight(getInt(MAX_IN_FLIGHT_CONFIG))
          .capacityWait(Duration.ZERO)
          .maxAttempts(getInt(RETRY_MAX_ATTEMPTS_CONFIG))
          .baseBackoff(Duration.ofMillis(backoff))
          .maxBackoff(Duration.ofMillis(maxBackoff))
          .totalDeadline(Duration.ofMillis(getLong(RETRY_DEADLINE_MS_CONFIG)))
          .requestTimeout(Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS_CONFIG)))
          .requestsPerMinute(getInt(RATE_LIMIT_CONFIG))
          .safetyMargin(getDouble(RATE_LIMIT_MARGIN_CONFIG))
          .shareCount(getInt(TASK_SHARE_COUNT_CONFIG))
          .proxy(proxy())
          .trustStore(
              store(TRUSTSTORE_LOCATION_CONFIG, TRUSTSTORE_TYPE_CONFIG, TRUSTSTORE_PASSWORD_CONFIG))
          .keyStore(store(KEYSTORE_LOCATION_CONFIG, KEYSTORE_TYPE_CONFIG, KEYSTORE_PASSWORD_CONFIG))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(BASE_URL_CONFIG, getString(BASE_URL_CONFIG), e.getMessage());
    }
  }

  /**
   * What is wrong with the proxy, trust store and key store settings, by key (the stores are
   * loaded, so a wrong type or password shows here); empty when they are fine.
   */
  public Map<String, String> egressErrors() {
    Map<String, String> errors = new java.util.LinkedHashMap<>();
    try {
      proxy();
    } catch (ConfigException e) {
      errors.put(PROXY_URL_CONFIG, e.getMessage());
    }
    for (String[] keys :
        new String[][] {
          {TRUSTSTORE_LOCATION_CONFIG, TRUSTSTORE_TYPE_CONFIG, TRUSTSTORE_PASSWORD_CONFIG},
          {KEYSTORE_LOCATION_CONFIG, KEYSTORE_TYPE_CONFIG, KEYSTORE_PASSWORD_CONFIG}
        }) {
      try {
        store(keys[0], keys[1], keys[2]);
      } catch (ConfigException e) {
        errors.put(keys[0], e.getMessage());
      }
    }
    return errors;
  }

  private Optional<ProxySettings> proxy() {
    String url = getString(PROXY_URL_CONFIG).strip();
    if (url.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ProxySettings(
              URI.create(url),
              Optional.of(getString(PROXY_USERNAME_CONFIG).strip()).filter(u -> !u.isEmpty()),
              secret(PROXY_PASSWORD_CONFIG)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(PROXY_URL_CONFIG, url, e.getMessage());
    }
  }

  private Optional<KeyStoreFile> store(String locationKey, String typeKey, String passwordKey) {
    String location = getString(locationKey).strip();
    if (location.isEmpty()) {
      return Optional.empty();
    }
    KeyStoreFile file =
        new KeyStoreFile(
            Path.of(location),
            Optional.of(getString(typeKey)).filter(t -> !t.isEmpty()),
            secret(passwordKey));
    try {
      // Loaded once here so that a wrong file, type or password shows at validation.
      if (locationKey.equals(TRUSTSTORE_LOCATION_CONFIG)) {
        KeyStores.trustStore(file);
      } else {
        KeyStores.keyStore(file);
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(locationKey, location, e.getMessage());
    }
    return Optional.of(file);
  }

  private Optional<Secret> secret(String key) {
    return Optional.ofNullable(getPassword(key)).map(p -> Secret.of(p.value()));
  }

  /** Empty, or an http://host:port URL without credentials. */
  static final class ProxyUrlValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String v = value == null ? "" : value.toString().strip();
      if (v.isEmpty()) {
        return;
      }
      try {
        ProxySettings.of(URI.create(v));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            name,
            v.contains("@") ? "(a URL with user info)" : v,
            "expected http://host:port without user info (credentials go in "
                + PROXY_USERNAME_CONFIG
                + " and "
                + PROXY_PASSWORD_CONFIG
                + ")");
      }
    }

    @Override
    public String toString() {
      return "empty, or http://host:port";
    }
  }

  /** Empty, or a readable file. */
  static final class ReadableFileValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String v = value == null ? "" : value.toString().strip();
      if (!v.isEmpty() && !Files.isReadable(Path.of(v))) {
        throw new ConfigException(name, v, "expected a readable file on every worker, found none");
      }
    }

    @Override
    public String toString() {
      return "empty, or a readable file";
    }
  }

  /** Accepts a password that {@link ApiKey#of} accepts; never echoes it. */
  static final class ApiKeyValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null) {
        // ConfigDef itself reports a missing required key.
        return;
      }
      String key = ((Password) value).value();
      // Unresolved ${...} references are resolved by the worker before the task starts.
      if (key.startsWith("${") && key.endsWith("}")) {
        return;
      }
      try {
        ApiKey.of(key);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name + ": " + e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "a non-blank key without whitespace";
    }
  }

  /** Refuses any value of a key that another key replaced, naming the replacement. */
  static final class Replaced implements ConfigDef.Validator {
    private final String replacement;

    Replaced(String replacement) {
      this.replacement = replacement;
    }

    @Override
    public void ensureValid(String name, Object value) {
      if (value != null && !value.toString().isBlank()) {
        throw new ConfigException(
            name
                + " is replaced: transient failures no longer fail the task or dead-letter an event"
                + " after a number of attempts; remove it and set "
                + replacement
                + " (wait, fail or dlq) with auditpipe.outage.max.duration.ms instead, found \""
                + value
                + "\"");
      }
    }

    @Override
    public String toString() {
      return "unset (replaced by " + replacement + ")";
    }
  }

  /** Recommends a fixed list of values, for UIs built on the validate endpoint. */
  static final class FixedRecommender implements ConfigDef.Recommender {
    private final java.util.List<Object> values;

    FixedRecommender(String... values) {
      this.values = java.util.List.of((Object[]) values);
    }

    @Override
    public java.util.List<Object> validValues(String name, Map<String, Object> parsedConfig) {
      return values;
    }

    @Override
    public boolean visible(String name, Map<String, Object> parsedConfig) {
      return true;
    }
  }
}
