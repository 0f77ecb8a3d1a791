package io.auditpipe.workos.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parses an HTTP {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
public final class RetryAfter {

  private RetryAfter() {}

  /**
   * The delay the header asks for, measured from {@code now}; zero for a date in the past; empty
   * when the header is absent or neither form parses. Fractional seconds are accepted and rounded
   * up to milliseconds, as some servers send them.
   */
  public static Optional<Duration> parse(Optional<String> header, Instant now) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().trim();
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (Character.isDigit(value.charAt(0))) {
      try {
        double seconds = Double.parseDouble(value);
        if (Double.isFinite(seconds) && seconds >= 0) {
          return Optional.of(Duration.ofMillis((long) Math.ceil(Math.min(seconds, 1e9) * 1000)));
        }
      } catch (NumberFormatException e) {
        // fall through to the date form
      }
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
