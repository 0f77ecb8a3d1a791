package io.auditpipe.cli.reconcile;

/**
 * A source record in range that the pipeline does not deliver, by design: the rules cannot map it
 * (it is dead-lettered as {@code convert}, {@code map} or {@code validate}), no rule selects it
 * under {@code "unmatched": "dlq"}, or it is in a dead-letter topic given with {@code --dlq-topic}.
 */
public record Unresolved(
    String topic, int partition, long offset, String stage, String rule, String reason) {}
