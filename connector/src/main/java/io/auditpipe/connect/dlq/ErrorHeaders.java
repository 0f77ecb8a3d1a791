package io.auditpipe.connect.dlq;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code auditpipe.*} headers a dead-lettered record carries. */
public final class ErrorHeaders {

  public static final String STAGE = "auditpipe.error.stage";
  public static final String RULE = "auditpipe.error.rule";
  public static final String REASON = "auditpipe.error.reason";
  public static final String WORKOS_STATUS = "auditpipe.workos.status";
  public static final String WORKOS_CODE = "auditpipe.workos.code";
  public static final String WORKOS_REQUEST_ID = "auditpipe.workos.request_id";

  /** Reasons are cut to this many characters so one header cannot grow a DLQ record unboundedly. */
  static final int MAX_REASON_LENGTH = 2_000;

  private ErrorHeaders() {}

  /** The headers for a dead letter, as UTF-8 bytes, in a stable order. */
  public static Map<String, byte[]> of(DeadLetter deadLetter) {
    Map<String, byte[]> headers = new LinkedHashMap<>();
    headers.put(STAGE, utf8(deadLetter.stage().externalName()));
    if (!deadLetter.rule().isEmpty()) {
      headers.put(RULE, utf8(deadLetter.rule()));
    }
    String reason = deadLetter.reason();
    headers.put(
        REASON,
        utf8(
            reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason));
    deadLetter
        .status()
        .ifPresent(status -> headers.put(WORKOS_STATUS, utf8(Integer.toString(status))));
    deadLetter.code().ifPresent(code -> headers.put(WORKOS_CODE, utf8(code)));
    deadLetter.requestId().ifPresent(id -> headers.put(WORKOS_REQUEST_ID, utf8(id)));
    return headers;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
