package io.auditpipe.cli.samples;

import java.util.Objects;
import java.util.Optional;

/** The key an envelope line gives its record: bytes, or none ({@code "key": null}). */
public record SampleKey(Optional<byte[]> bytes) {

  public SampleKey {
    Objects.requireNonNull(bytes, "bytes");
  }
}
