package io.auditpipe.bench.mapping;

/**
 * One way of turning the reference order event into the WorkOS request body: UTF-8 JSON bytes in,
 * UTF-8 JSON bytes out, parsing included. Instances are used from one thread.
 */
interface OrderEventMapper {

  /** A short name for reports: {@code fast}, {@code jsonata}, {@code jslt}, {@code handwritten}. */
  String name();

  /** The request body {@code {"organization_id":…,"event":{…}}} for one record value. */
  byte[] map(byte[] value);
}
