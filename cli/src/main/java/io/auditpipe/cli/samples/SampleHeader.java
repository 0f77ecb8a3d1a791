package io.auditpipe.cli.samples;

import java.util.Objects;
import java.util.Optional;

/** A record header of a sample; an empty value is a header whose value is null. */
public record SampleHeader(String name, Optional<String> value) {

  public SampleHeader {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
