package io.auditpipe.workos.api;

import io.auditpipe.workos.ApiKey;
import io.auditpipe.workos.WorkOsClientConfig;
import io.auditpipe.workos.http.ErrorBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One cheap authenticated call ({@code GET /audit_logs/actions?limit=1}, a single attempt, short
 * timeouts) that tells whether a base URL and API key work, before anything is deployed with them.
 * Never echoes the key.
 */
public final class AccessCheck {

  /** What the check found. */
  public sealed interface Result {

    /** WorkOS answered the call: the URL and the key work. */
    record Accepted(int status) implements Result {}

    /** 401 or 403: the key is wrong, revoked or lacks permission. */
    record KeyRefused(int status, String message) implements Result {}

    /** 404 on the route: the base URL does not lead to the WorkOS API (e.g. a path such as /v1). */
    record NotTheApi(int status, String message) implements Result {}

    /**
     * No verdict: unreachable, timed out, throttled or a server error. Not a configuration error:
     * WorkOS may simply be out of reach from where the check runs.
     */
    record Inconclusive(String reason) implements Result {}
  }

  /** The route the check calls: present on WorkOS and cheap with {@code limit=1}. */
  public static final String PATH = "/audit_logs/actions?limit=1";

  private AccessCheck() {}

  /**
   * Runs the check with {@code config}'s base URL, key and user agent.
   *
   * @param timeout the bound of connecting and of the whole exchange, each
   */
  public static Result run(WorkOsClientConfig config, Duration timeout) {
    URI baseUrl = config.baseUrl();
    ApiKey apiKey = config.apiKey();
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + PATH))
            .timeout(timeout)
            .header("Authorization", "Bearer " + apiKey.reveal())
            .header("User-Agent", config.userAgent())
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new Result.Inconclusive(
          apiKey.redact(e.getClass().getSimpleName() + ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result.Inconclusive("interrupted");
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return new Result.Accepted(status);
    }
    String message =
        ErrorBody.parse(
                status,
                apiKey
                    .redact(new String(response.body(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8))
            .message();
    if (status == 401 || status == 403) {
      return new Result.KeyRefused(status, message);
    }
    if (status == 404) {
      return new Result.NotTheApi(status, message);
    }
    return new Result.Inconclusive("HTTP " + status + ": " + message);
  }
}
