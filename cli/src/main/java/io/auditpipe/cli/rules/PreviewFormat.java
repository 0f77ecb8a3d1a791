package io.auditpipe.cli.rules;

/** How {@code rules preview} prints mapped events. Lower-case so the option reads naturally. */
enum PreviewFormat {
  /** A {@code #} comment line per event, then its request body indented: for people. */
  text,
  /** One JSON object per event on one line: for {@code jq} and scripts. */
  jsonl
}
