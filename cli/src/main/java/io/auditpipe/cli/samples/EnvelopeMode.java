package io.auditpipe.cli.samples;

/** Whether sample lines are read as record envelopes ({@link SampleLines}). */
public enum EnvelopeMode {
  /** A line is an envelope when it looks like one; otherwise it is the record value. */
  DETECT,
  /** Every line must be an envelope; one that is not is reported. */
  ALWAYS,
  /** Every line is a record value as it is. */
  NEVER;

  /** From {@code --envelope}/{@code --no-envelope}: absent detects. */
  public static EnvelopeMode of(java.util.Optional<Boolean> flag) {
    return flag.map(f -> f ? ALWAYS : NEVER).orElse(DETECT);
  }
}
