package io.auditpipe.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.emulator.ResponseLatency;
import io.auditpipe.emulator.faults.FaultInjector;
import io.auditpipe.emulator.faults.FaultKind;
import io.auditpipe.emulator.state.Counters;
import io.auditpipe.emulator.state.IdempotencyCache;
import io.auditpipe.emulator.state.Ids;
import io.auditpipe.emulator.state.RateLimiter;
import io.auditpipe.emulator.state.RecentAnswers;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The emulator's one Jetty core handler. API requests go through faults, authentication, the rate
 * limit and idempotency, in that order, then to their endpoint; {@code /_emulator/…} and the page
 * at {@code /} skip all of that. Every response carries {@code X-Request-Id}.
 */
public final class EmulatorHandler extends Handler.Abstract.NonBlocking {

  private static final int MAX_BODY = 16 * 1024 * 1024;

  private static final System.Logger LOG = System.getLogger(EmulatorHandler.class.getName());

  /** The parts of the emulator the handler routes to. */
  public record Parts(
      Set<String> apiKeys,
      int idempotencyConflictStatus,
      Counters counters,
      FaultInjector faults,
      RateLimiter rateLimiter,
      IdempotencyCache idempotency,
      ApiRoutes api,
      InspectionRoutes inspection,
      boolean blockingStorage,
      Executor executor,
      ResponseLatency latency,
      Scheduler scheduler,
      RecentAnswers recent) {}

  private final Parts parts;

  public EmulatorHandler(Parts parts) {
    this.parts = parts;
  }

  /**
   * Runs on the selector thread once the (small) body has arrived, so that a plain create-event
   * costs no thread hand-off; anything that waits (injected latency, slow responses, the data
   * directory, inspection) is dispatched to the server's pool. Response latency ({@code --latency})
   * is a timer, not a sleeping thread.
   */
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    // The raw path: segments are decoded one by one (PathSegments), so "a%2Fb" stays one segment.
    String path = request.getHttpURI().getPath();
    String requestId = Ids.next("req_");
    boolean inspection = path.equals("/") || path.startsWith("/_emulator");
    if (request.getLength() > MAX_BODY) {
      answer(request, response, callback, requestId, tooLarge(), !inspection);
      return true;
    }
    FaultInjector.Decision decision =
        inspection ? FaultInjector.Decision.NONE : parts.faults().decide();
    boolean dispatch =
        inspection
            || parts.blockingStorage()
            || decision.latencyMs() > 0
            || decision.fault().filter(f -> f == FaultKind.SLOW).isPresent();
    long delayMicros = inspection ? 0 : parts.latency().drawMicros();
    BodyReader.read(
        request,
        MAX_BODY,
        result -> {
          if (result instanceof BodyReader.Failed failed) {
            callback.failed(failed.cause()); // the client went away: nobody to answer
            return;
          }
          if (result instanceof BodyReader.TooLarge) {
            answer(request, response, callback, requestId, tooLarge(), !inspection);
            return;
          }
          byte[] body = ((BodyReader.Body) result).bytes();
          Runnable work =
              () -> {
                try {
                  if (inspection) {
                    handleInspection(request, response, callback, path, requestId, body);
                  } else {
                    handleApi(request, response, callback, path, requestId, body, decision);
                  }
                } catch (Throwable t) {
                  callback.failed(t);
                }
              };
          Runnable run = dispatch ? () -> parts.executor().execute(work) : work;
          if (delayMicros > 0) {
            parts.scheduler().schedule(run, delayMicros, TimeUnit.MICROSECONDS);
          } else {
            run.run();
          }
        });
    return true;
  }

  private static ApiResponse tooLarge() {
    return Json.error(
        413,
        "request_too_large",
        "Request body too large: expected at most " + MAX_BODY + " bytes.");
  }

  private void answer(
      Request request,
      Response response,
      Callback callback,
      String requestId,
      ApiResponse r,
      boolean api) {
    if (api) {
      parts.counters().status(r.status());
      record(request, requestId, r);
    }
    write(response, callback, requestId, r);
  }

  /** Keeps non-2xx API answers for the page's failures and throttled panels. */
  private void record(Request request, String requestId, ApiResponse r) {
    if (r.status() >= 200 && r.status() < 300) {
      return;
    }
    Optional<String> code = Optional.empty();
    String message = "";
    try {
      JsonNode n = Json.MAPPER.readTree(r.body());
      code = Optional.ofNullable(Json.text(n, "code"));
      message = Optional.ofNullable(Json.text(n, "message")).orElse("");
    } catch (IOException | RuntimeException e) {
      message = "(not JSON)";
    }
    parts
        .recent()
        .add(
            r.status(),
            code,
            message,
            requestId,
            request.getMethod(),
            request.getHttpURI().getPath());
  }

  private void handleInspection(
      Request request,
      Response response,
      Callback callback,
      String path,
      String requestId,
      byte[] body) {
    ApiResponse r;
    try {
      r = parts.inspection().route(new Exchange(request, path, "", body));
    } catch (ApiException e) {
      r = e.response();
    } catch (IllegalArgumentException e) {
      r = Json.message(400, e.getMessage());
    } catch (RuntimeException e) {
      r = Json.message(500, "Emulator error: " + e);
    }
    write(response, callback, requestId, r);
  }

  private void handleApi(
      Request request,
      Response response,
      Callback callback,
      String path,
      String requestId,
      byte[] body,
      FaultInjector.Decision decision)
      throws Exception {
    Counters counters = parts.counters();
    counters.exchange(request.getConnectionMetaData());
    if (decision.latencyMs() > 0) {
      counters.fault(FaultKind.LATENCY);
      Thread.sleep(decision.latencyMs());
    }
    FaultKind fault = decision.fault().orElse(null);
    if (fault != null) {
      counters.fault(fault);
      if (fault.status() >= 500) {
        answer(
            request,
            response,
            callback,
            requestId,
            Json.message(fault.status(), fault.status() == 503 ? "Service Unavailable" : "Error"),
            true);
        return;
      }
      if (fault == FaultKind.THROTTLE_429) {
        answer(request, response, callback, requestId, Json.tooManyRequests(1), true);
        return;
      }
      if (fault == FaultKind.RESET_BEFORE) {
        recordReset(request, requestId, "before");
        reset(request, callback);
        return;
      }
    }
    ApiResponse r = authorizeAndRoute(request, path, requestId, body);
    if (fault == FaultKind.RESET_AFTER) {
      recordReset(request, requestId, "after");
      reset(request, callback);
      return;
    }
    if (fault == FaultKind.SLOW) {
      counters.status(r.status());
      record(request, requestId, r);
      writeSlowly(response, callback, requestId, r, parts.faults().settings().slowMs());
      return;
    }
    answer(request, response, callback, requestId, r, true);
  }

  private void recordReset(Request request, String requestId, String when) {
    parts
        .recent()
        .add(
            0,
            Optional.of("reset_" + when),
            "connection reset " + when + " processing (injected fault)",
            requestId,
            request.getMethod(),
            request.getHttpURI().getPath());
  }

  private ApiResponse authorizeAndRoute(
      Request request, String path, String requestId, byte[] body) {
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    String key = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
    if (key == null || !parts.apiKeys().contains(key)) {
      parts.counters().unauthorized();
      return Json.unauthorized();
    }
    OptionalLong retryAfter = parts.rateLimiter().acquire(key);
    if (retryAfter.isPresent()) {
      parts.counters().throttled();
      return Json.tooManyRequests(retryAfter.getAsLong());
    }
    Exchange exchange = new Exchange(request, path, key, body);
    try {
      Optional<String> idempotencyKey = exchange.header("Idempotency-Key");
      if (idempotencyKey.isPresent()
          && exchange.method().equals("POST")
          && parts.api().idempotent(path)) {
        return idempotent(exchange, idempotencyKey.get(), requestId);
      }
      return parts.api().route(exchange);
    } catch (ApiException e) {
      return e.response();
    } catch (RuntimeException e) {
      // An emulator bug must still answer in WorkOS's shape, never with Jetty's HTML page.
      return Json.message(500, "Emulator error: " + e);
    }
  }

  private ApiResponse idempotent(Exchange exchange, String key, String requestId) {
    IdempotencyCache.Request compared =
        new IdempotencyCache.Request(requestId, exchange.body(), exchange.json());
    ApiResponse[] processed = new ApiResponse[1];
    IdempotencyCache.Outcome outcome =
        parts
            .idempotency()
            .apply(
                exchange.apiKey(),
                key,
                compared,
                () -> {
                  processed[0] = parts.api().route(exchange);
                  return new IdempotencyCache.StoredResponse(
                      processed[0].status(), processed[0].body());
                });
    if (outcome instanceof IdempotencyCache.Replayed replayed) {
      parts.counters().replay();
      return ApiResponse.json(replayed.response().status(), replayed.response().body());
    }
    if (outcome instanceof IdempotencyCache.Conflict conflict) {
      parts.counters().conflict();
      String why = conflict.report().describe();
      LOG.log(System.Logger.Level.WARNING, "Idempotency-Key " + key + " conflict: " + why);
      // WorkOS's message, then what tells the two requests apart (lengths and hashes, no content).
      return Json.error(
          parts.idempotencyConflictStatus(),
          "idempotency_error",
          "Another request with the same Idempotency-Key but different request parameters was"
              + " already processed. Emulator: "
              + why
              + ".");
    }
    return processed[0];
  }

  private static void write(Response response, Callback callback, String requestId, ApiResponse r) {
    headers(response, requestId, r);
    response.write(true, ByteBuffer.wrap(r.body()), callback);
  }

  private static void headers(Response response, String requestId, ApiResponse r) {
    response.setStatus(r.status());
    HttpFields.Mutable h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, r.contentType());
    h.put(HttpHeader.CONTENT_LENGTH, r.body().length);
    h.put("X-Request-Id", requestId);
    r.headers().forEach(h::put);
  }

  private static void writeSlowly(
      Response response, Callback callback, String requestId, ApiResponse r, long delayMs)
      throws Exception {
    headers(response, requestId, r);
    FutureCallback committed = new FutureCallback();
    response.write(false, BufferUtil.EMPTY_BUFFER, committed);
    committed.get();
    Thread.sleep(delayMs);
    response.write(true, ByteBuffer.wrap(r.body()), callback);
  }

  /** Aborts the connection with a TCP reset and no response. */
  private static void reset(Request request, Callback callback) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    if (endPoint.getTransport() instanceof SocketChannel channel) {
      try {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
      } catch (IOException | RuntimeException e) {
        // A plain close still leaves the client without a response.
      }
    }
    endPoint.close();
    callback.failed(new IOException("connection reset by fault injection"));
  }
}
