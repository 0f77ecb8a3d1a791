package io.auditpipe.core.model;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The text of {@code occurred_at} as {@link AuditEventJson#OCCURRED_AT} formats it, written by hand
 * for the instants whose year it prints as four digits (0000-9999): the formatter costs more per
 * call than writing a whole body. Other instants are left to the formatter itself.
 */
final class OccurredAtText {

  /**
   * The length of the text of an instant with a four-digit year, e.g. {@code
   * 2022-09-02T16:35:39.317Z}.
   */
  static final int FOUR_DIGIT_YEAR_LENGTH = 24;

  // Instants of years 0000-9999, which OCCURRED_AT prints as exactly four year digits.
  private static final long FIRST_FOUR_DIGIT_SECOND = -62_167_219_200L;
  private static final long LAST_FOUR_DIGIT_SECOND = 253_402_300_799L;

  private OccurredAtText() {}

  /** Whether {@link #writeFourDigitYear} can write {@code t}. */
  static boolean hasFourDigitYear(Instant t) {
    long seconds = t.getEpochSecond();
    return seconds >= FIRST_FOUR_DIGIT_SECOND && seconds <= LAST_FOUR_DIGIT_SECOND;
  }

  /**
   * Writes the text of {@code t}, which must {@link #hasFourDigitYear have a four-digit year}, as
   * {@value #FOUR_DIGIT_YEAR_LENGTH} ASCII characters from {@code out[at]}; returns the index after
   * them.
   */
  static int writeFourDigitYear(Instant t, char[] out, int at) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
    digits(out, at, d.getYear(), 4);
    out[at + 4] = '-';
    digits(out, at + 5, d.getMonthValue(), 2);
    out[at + 7] = '-';
    digits(out, at + 8, d.getDayOfMonth(), 2);
    out[at + 10] = 'T';
    digits(out, at + 11, d.getHour(), 2);
    out[at + 13] = ':';
    digits(out, at + 14, d.getMinute(), 2);
    out[at + 16] = ':';
    digits(out, at + 17, d.getSecond(), 2);
    out[at + 19] = '.';
    // Truncated, not rounded, as the formatter's SSS is.
    digits(out, at + 20, t.getNano() / 1_000_000, 3);
    out[at + 23] = 'Z';
    return at + FOUR_DIGIT_YEAR_LENGTH;
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
