/**
 * The dead-letter contract shared by the connector, the processor and {@code auditpipe dlq
 * inspect}: where a record failed ({@link io.auditpipe.core.deadletter.FailureStage}), why ({@link
 * io.auditpipe.core.deadletter.DeadLetter}, worded by {@link
 * io.auditpipe.core.deadletter.DeadLetterReasons}), and the {@code auditpipe.*} headers that carry
 * it ({@link io.auditpipe.core.deadletter.DeadLetterHeaders}, written and read by {@link
 * io.auditpipe.core.deadletter.DeadLetterCodec}). Free of Kafka: headers are names and bytes; the
 * Kafka modules turn them into record headers.
 */
package io.auditpipe.core.deadletter;
