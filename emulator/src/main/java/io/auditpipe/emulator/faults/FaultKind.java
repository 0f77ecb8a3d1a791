package io.auditpipe.emulator.faults;

import java.util.Locale;

/** The faults the emulator can inject, each counted separately. */
public enum FaultKind {
  /** Answer 500 without processing. */
  STATUS_500(500),
  /** Answer 502 without processing. */
  STATUS_502(502),
  /** Answer 503 without processing. */
  STATUS_503(503),
  /** Answer 429 with {@code Retry-After} without processing (part of a burst). */
  THROTTLE_429(429),
  /** Wait before processing. */
  LATENCY(0),
  /** Close the connection before processing: nothing stored, nothing answered. */
  RESET_BEFORE(0),
  /** Process (store the event), then close the connection without answering. */
  RESET_AFTER(0),
  /** Process, send the status line and headers, then wait before sending the body. */
  SLOW(0);

  private final int status;

  FaultKind(int status) {
    this.status = status;
  }

  /** The answered status for status faults, 0 otherwise. */
  public int status() {
    return status;
  }

  /** The name used in JSON and counters, e.g. {@code status_503}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a code such as {@code reset_after}, {@code status_503} or just {@code 503}. */
  public static FaultKind parse(String code) {
    String c = code.trim().toUpperCase(Locale.ROOT);
    if (c.equals("429")) {
      return THROTTLE_429;
    }
    if (c.matches("\\d{3}")) {
      c = "STATUS_" + c;
    }
    try {
      return valueOf(c);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "expected a fault such as status_500, status_502, status_503, throttle_429, reset_before,"
              + " reset_after or slow, found '"
              + code
              + "'");
    }
  }
}
