package io.auditpipe.cli.ops;

import io.auditpipe.cli.ExitCodes;
import io.auditpipe.cli.UserMessages;
import io.auditpipe.workos.ApiKey;
import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.api.WorkOsApiClient;
import io.auditpipe.workos.api.WorkOsApiException;
import io.auditpipe.workos.egress.KeyStoreFile;
import io.auditpipe.workos.egress.ProxySettings;
import io.auditpipe.workos.egress.Secret;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Where WorkOS is and the key to it, shared by every command that calls the WorkOS API. The key is
 * read from the {@code WORKOS_API_KEY} environment variable or a file, never from the command line
 * (where it would end up in shell history and process listings).
 */
public final class WorkOsOptions {

  /** The environment variable holding the API key. */
  public static final String API_KEY_ENV = "WORKOS_API_KEY";

  @Option(
      names = "--workos-url",
      paramLabel = "URL",
      defaultValue = "${env:WORKOS_BASE_URL:-https://api.workos.com}",
      description =
          "WorkOS's base URL (default: $WORKOS_BASE_URL or https://api.workos.com). Plain http is"
              + " accepted for loopback hosts only, e.g. the emulator on http://localhost:8080.")
  URI workOsUrl;

  @Option(
      names = "--allow-insecure-http",
      description =
          "Allow plain http to a host that is not loopback (the API key then travels in clear"
              + " text): for a WorkOS stand-in on another machine, never for WorkOS itself.")
  boolean allowInsecureHttp;

  @Option(
      names = "--api-key-file",
      paramLabel = "FILE",
      description = "Read the WorkOS API key from FILE instead of $" + API_KEY_ENV + ".")
  Optional<Path> apiKeyFile = Optional.empty();

  @Option(
      names = "--proxy",
      paramLabel = "URL",
      description =
          "An HTTP proxy for the WorkOS calls, http://host:port; https is tunnelled with CONNECT.")
  Optional<URI> proxy = Optional.empty();

  @Option(
      names = "--proxy-user",
      paramLabel = "USER",
      description =
          "The proxy user; the password is read from $"
              + PROXY_PASSWORD_ENV
              + ", never the"
              + " command line.")
  Optional<String> proxyUser = Optional.empty();

  @Option(
      names = "--truststore",
      paramLabel = "FILE",
      description =
          "Trust these authorities for https instead of the JDK's: a PEM file of certificates or"
              + " a PKCS12/JKS trust store (its password from $"
              + TRUSTSTORE_PASSWORD_ENV
              + "). For a TLS-inspecting proxy or a private CA.")
  Optional<Path> trustStore = Optional.empty();

  @Option(
      names = "--keystore",
      paramLabel = "FILE",
      description =
          "A client certificate for mutual TLS: PKCS12, JKS, or PEM with an unencrypted PKCS#8"
              + " key (its password from $"
              + KEYSTORE_PASSWORD_ENV
              + ").")
  Optional<Path> keyStore = Optional.empty();

  /** The environment variable holding the proxy password. */
  public static final String PROXY_PASSWORD_ENV = "WORKOS_PROXY_PASSWORD";

  /** The environment variable holding the trust store's password. */
  public static final String TRUSTSTORE_PASSWORD_ENV = "WORKOS_TRUSTSTORE_PASSWORD";

  /** The environment variable holding the key store's password. */
  public static final String KEYSTORE_PASSWORD_ENV = "WORKOS_KEYSTORE_PASSWORD";

  /**
   * The API key from {@code --api-key-file} or the environment.
   *
   * @throws IllegalStateException naming where a key was looked for when there is none
   */
  ApiKey apiKey() {
    if (apiKeyFile.isPresent()) {
      try {
        String key = Files.readString(apiKeyFile.get(), StandardCharsets.UTF_8).strip();
        if (key.isEmpty()) {
          throw new IllegalStateException(apiKeyFile.get() + ": expected an API key, found none");
        }
        return ApiKey.of(key);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the API key: " + UserMessages.describe(e), e);
      }
    }
    String key = System.getenv(API_KEY_ENV);
    if (key == null || key.isBlank()) {
      throw new IllegalStateException(
          "no WorkOS API key: set " + API_KEY_ENV + " or pass --api-key-file");
    }
    return ApiKey.of(key.strip());
  }

  /** A client for WorkOS's management API; close it when done. */
  WorkOsApiClient client() {
    return new WorkOsApiClient(
        WorkOsClientConfig.builder(apiKey())
            .baseUrl(workOsUrl)
            .allowInsecureHttp(allowInsecureHttp)
            .proxy(
                proxy.map(
                    url ->
                        new ProxySettings(
                            url, proxyUser, proxyUser.flatMap(u -> env(PROXY_PASSWORD_ENV)))))
            .trustStore(
                trustStore.map(
                    f -> new KeyStoreFile(f, Optional.empty(), env(TRUSTSTORE_PASSWORD_ENV))))
            .keyStore(
                keyStore.map(
                    f -> new KeyStoreFile(f, Optional.empty(), env(KEYSTORE_PASSWORD_ENV))))
            .build());
  }

  /** The client's messages name connector keys; here the options and variables say the same. */
  private static String inOptionNames(String message) {
    return message
        .replace("workos.proxy.url", "--proxy")
        .replace("workos.proxy.username", "--proxy-user")
        .replace("workos.proxy.password", "$" + PROXY_PASSWORD_ENV)
        .replace("workos.ssl.truststore.location", "--truststore")
        .replace("workos.ssl.truststore.password", "$" + TRUSTSTORE_PASSWORD_ENV)
        .replace("workos.ssl.truststore.type", "--truststore (type)")
        .replace("workos.ssl.keystore.location", "--keystore")
        .replace("workos.ssl.keystore.password", "$" + KEYSTORE_PASSWORD_ENV)
        .replace("workos.ssl.keystore.type", "--keystore (type)");
  }

  private static Optional<Secret> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isEmpty()).map(Secret::of);
  }

  /** What a command does with a WorkOS client, printing its results to {@code out}. */
  @FunctionalInterface
  interface ClientCall {
    void call(WorkOsApiClient client, PrintWriter out);
  }

  /**
   * Runs {@code call} with a client of its own.
   *
   * @return {@link ExitCodes#OK}, or {@link ExitCodes#INVALID} with the reason on stderr when there
   *     is no API key or WorkOS refuses the call
   */
  int run(CommandSpec spec, ClientCall call) {
    PrintWriter out = spec.commandLine().getOut();
    try (WorkOsApiClient client = client()) {
      call.call(client, out);
      out.flush();
      return ExitCodes.OK;
    } catch (WorkOsApiException | IllegalStateException | IllegalArgumentException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(inOptionNames(UserMessages.describe(e)));
      err.flush();
      return ExitCodes.INVALID;
    }
  }
}
