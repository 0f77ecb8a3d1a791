package io.auditpipe.workos.exchange;

import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.egress.KeyStoreFile;
import io.auditpipe.workos.egress.ProxySettings;
import io.auditpipe.workos.egress.Secret;
import io.auditpipe.workos.http.Answer;
import io.auditpipe.workos.http.IoProblems;
import io.auditpipe.workos.retry.RetryPolicy;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.HttpResponseException;

/**
 * The one place that decides what an answer or a failure means: success, retry, a final refusal, or
 * a configuration error. Everything else in the engine only acts on the verdict.
 */
public final class Classification {

  /** What to do with an attempt's end. */
  public enum Verdict {
    SUCCESS,
    RETRY,
    REFUSE,
    MISCONFIGURED,
    FAIL
  }

  /**
   * A verdict with the description of its cause.
   *
   * @param status the HTTP status behind the verdict, when there was one
   * @param reason for {@code MISCONFIGURED} and failures: what happened, naming what to fix
   */
  public record Decision(Verdict verdict, OptionalInt status, String reason) {}

  private final WorkOsClientConfig config;

  private final List<String> secrets;

  private final BooleanSupplier clientCertificateUnanswered;

  /**
   * @param clientCertificateUnanswered whether a server asked for a client certificate and has not
   *     answered since
   */
  public Classification(WorkOsClientConfig config, BooleanSupplier clientCertificateUnanswered) {
    this.config = config;
    this.clientCertificateUnanswered = clientCertificateUnanswered;
    this.secrets =
        Stream.of(
                config.proxy().flatMap(ProxySettings::password),
                config.trustStore().flatMap(KeyStoreFile::password),
                config.keyStore().flatMap(KeyStoreFile::password))
            .flatMap(Optional::stream)
            .map(Secret::reveal)
            .filter(v -> !v.isEmpty())
            .toList();
  }

  /** The verdict on an answer to a call that retries {@code retries}. */
  public Decision ofAnswer(Answer answer, ExchangeRequest.Retries retries) {
    int status = answer.status();
    OptionalInt s = OptionalInt.of(status);
    if (answer.isSuccess()) {
      return new Decision(Verdict.SUCCESS, s, "");
    }
    if (status == 407) {
      return new Decision(Verdict.MISCONFIGURED, s, proxyCredentials());
    }
    boolean retryable =
        retries == ExchangeRequest.Retries.ALL
            ? RetryPolicy.isRetryableStatus(status)
            : status == 429;
    return new Decision(retryable ? Verdict.RETRY : Verdict.REFUSE, s, "");
  }

  /** The verdict on an attempt that ended without an answer; {@code reason} is redacted. */
  public Decision ofFailure(Throwable failure, ExchangeRequest.Retries retries) {
    if (failure instanceof HttpResponseException h
        && h.getResponse() != null
        && config.proxy().isPresent()) {
      // The proxy answered the CONNECT itself.
      int status = h.getResponse().getStatus();
      if (status == 407) {
        return new Decision(Verdict.MISCONFIGURED, OptionalInt.of(status), proxyCredentials());
      }
      if (status == 403) {
        return new Decision(
            Verdict.MISCONFIGURED,
            OptionalInt.of(status),
            "the proxy at "
                + proxyUrl()
                + " refused to open a tunnel to "
                + config.baseUrl().getHost()
                + " (HTTP 403): allow that host on the proxy, or check workos.proxy.url");
      }
      return transientOrFinal(
          "the proxy at " + proxyUrl() + " answered the tunnel request with HTTP " + status,
          OptionalInt.of(status),
          retries);
    }
    if (failure instanceof SSLException ssl) {
      if (hasCause(ssl, GeneralSecurityException.class)) {
        return new Decision(Verdict.MISCONFIGURED, OptionalInt.empty(), untrusted());
      }
      String m = String.valueOf(ssl.getMessage());
      // Alerts the server sends about our certificate (a JDK server sends certificate_unknown when
      // its trust refuses it); our own refusal of the server's is the GeneralSecurityException
      // above.
      if (m.contains("bad_certificate")
          || m.contains("certificate_required")
          || m.contains("certificate_unknown")
          || m.contains("unknown_ca")) {
        return new Decision(
            Verdict.MISCONFIGURED,
            OptionalInt.empty(),
            "TLS with "
                + config.baseUrl().getHost()
                + " failed: the server refused the client certificate ("
                + m
                + "); check workos.ssl.keystore.location"
                + (config.keyStore().isPresent() ? "" : ", which is not set"));
      }
    }
    if (failure instanceof ClosedChannelException || failure instanceof EOFException) {
      return transientOrFinal(describe(failure) + closedHint(), OptionalInt.empty(), retries);
    }
    if (failure instanceof IOException || failure instanceof TimeoutException) {
      return transientOrFinal(describe(failure), OptionalInt.empty(), retries);
    }
    return new Decision(Verdict.FAIL, OptionalInt.empty(), describe(failure));
  }

  private static Decision transientOrFinal(
      String reason, OptionalInt status, ExchangeRequest.Retries retries) {
    return new Decision(
        retries == ExchangeRequest.Retries.ALL ? Verdict.RETRY : Verdict.FAIL, status, reason);
  }

  private String untrusted() {
    return config.trustStore().isPresent()
        ? "TLS with "
            + config.baseUrl().getHost()
            + " failed: its certificate is not signed by an authority in the trust store "
            + config.trustStore().get().location()
            + "; check workos.ssl.truststore.location (and workos.ssl.truststore.type)"
        : "TLS with "
            + config.baseUrl().getHost()
            + " failed: its certificate is not signed by an authority the JDK trusts; behind a"
            + " TLS-inspecting proxy or with a private CA, set workos.ssl.truststore.location to"
            + " that authority's certificate";
  }

  private String proxyCredentials() {
    return "the proxy at "
        + proxyUrl()
        + " refused the credentials (HTTP 407 Proxy Authentication Required): check"
        + " workos.proxy.username and workos.proxy.password"
        + (config.proxy().flatMap(p -> p.username()).isPresent() ? "" : ", which are not set");
  }

  private String proxyUrl() {
    return config.proxy().map(p -> p.url().toString()).orElse("(none)");
  }

  /**
   * Over TLS 1.3 a server refuses a client certificate after the client's side of the handshake is
   * done: the request usually meets a closed connection, and the alert is lost with it. Only a
   * server that asked for a certificate gets the hint; a closed connection is otherwise transient.
   */
  private String closedHint() {
    if (!clientCertificateUnanswered.getAsBoolean()) {
      return "";
    }
    return config.keyStore().isPresent()
        ? " after asking for a client certificate (if it does not trust the one given, check"
            + " workos.ssl.keystore.location)"
        : " after asking for a client certificate (set workos.ssl.keystore.location, which is not"
            + " set)";
  }

  /** Why no answer came, in words naming the host (never a class name), redacted. */
  String describe(Throwable cause) {
    return redact(IoProblems.describe(cause, config.baseUrl()));
  }

  /** {@code text} without the API key or any configured password. */
  String redact(String text) {
    String out = config.apiKey().redact(text);
    for (String secret : secrets) {
      out = out.replace(secret, "[hidden]");
    }
    return out;
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
