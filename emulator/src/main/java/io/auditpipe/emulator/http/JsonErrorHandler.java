package io.auditpipe.emulator.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (a malformed request, a failed handler) in WorkOS's shape, {@code
 * {"message":…}}, for every method: an SDK must never receive an HTML page from the emulator.
 */
public final class JsonErrorHandler extends ErrorHandler {

  /** Called with each answer this handler writes, for the failures panel. */
  public interface Listener {
    void answered(int status, String message, String method, String path);
  }

  private final Listener listener;

  public JsonErrorHandler(Listener listener) {
    this.listener = listener;
  }

  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    String text = message(code, message);
    listener.answered(code, text, request.getMethod(), request.getHttpURI().getPath());
    byte[] body = body(text);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ApiResponse.JSON);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** The parser's rejections, before any request exists. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    String text = message(status, reason);
    listener.answered(status, text, "", "");
    fields.put(HttpHeader.CONTENT_TYPE, ApiResponse.JSON);
    return ByteBuffer.wrap(body(text));
  }

  private static String message(int code, String message) {
    return Optional.ofNullable(message)
        .filter(m -> !m.isBlank())
        .orElseGet(() -> Optional.ofNullable(HttpStatus.getMessage(code)).orElse("Error"));
  }

  private static byte[] body(String message) {
    ObjectNode n = Json.object();
    n.put("message", message);
    return ApiResponse.json(0, n).body();
  }
}
