package io.auditpipe.cli.samples;

/** What a non-blank line of a samples file is: a record, or an envelope that is wrong. */
public sealed interface SampleLine {

  /** The line number (1-based). */
  int line();

  /** A record to map or produce. */
  record Sample(SampleRecord record) implements SampleLine {
    @Override
    public int line() {
      return record.line();
    }
  }

  /** A line that cannot be a record: {@code reason} says what was expected and found. */
  record Invalid(int line, String reason) implements SampleLine {}
}
