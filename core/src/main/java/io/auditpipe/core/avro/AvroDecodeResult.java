package io.auditpipe.core.avro;

import java.util.Objects;

/** What {@link AuditEventAvroCodec#decode(byte[])} made of a record value. */
public sealed interface AvroDecodeResult
    permits AvroDecodeResult.Decoded, AvroDecodeResult.Undecodable {

  /** The bytes held a valid {@code AuditLogEvent}. */
  record Decoded(AuditEventRecord record) implements AvroDecodeResult {
    public Decoded {
      Objects.requireNonNull(record, "record");
    }
  }

  /**
   * The bytes are not an {@code AuditLogEvent} in single-object encoding.
   *
   * @param reason what was expected and what was found; never the bytes themselves
   */
  record Undecodable(String reason) implements AvroDecodeResult {
    public Undecodable {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
