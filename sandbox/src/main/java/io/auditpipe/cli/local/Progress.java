package io.auditpipe.cli.local;

import java.util.Optional;

/**
 * What a local run has done so far, in records and events.
 *
 * @param produced sample records the broker acknowledged
 * @param mapped audit events the rules made (one record can make several, or none)
 * @param skipped records no rule selected, under {@code "unmatched": "skip"}
 * @param delivered audit events WorkOS accepted
 * @param deadLettered records in the dead-letter topics (processor's and connector's)
 * @param throttled WorkOS answers 429 (Too Many Requests) the delivery client waited out
 * @param connector the connector task's state ({@code RUNNING}, {@code FAILED}, …)
 * @param failure why the pipeline cannot go on, when it cannot: a failed task or processor
 */
record Progress(
    long produced,
    long mapped,
    long skipped,
    long delivered,
    long deadLettered,
    long throttled,
    String connector,
    Optional<String> failure) {

  /** Whether every produced record is accounted for: delivered, skipped or dead-lettered. */
  boolean settled() {
    return produced > 0 && delivered + skipped + deadLettered >= produced;
  }

  /** Whether the pipeline stopped for good: nothing more will be delivered. */
  boolean failed() {
    return failure.isPresent();
  }

  String line() {
    return String.format(
            "produced %,6d   mapped %,6d   skipped %,5d   delivered %,6d   dead-lettered %,5d"
                + "   throttled %,5d   task %s",
            produced, mapped, skipped, delivered, deadLettered, throttled, connector)
        + failure.map(f -> ": " + f).orElse("");
  }
}
