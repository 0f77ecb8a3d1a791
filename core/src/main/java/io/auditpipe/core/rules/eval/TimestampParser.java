package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** How a value states a time: one {@link TimestampFormat}, or a {@link TimestampChoice}. */
public sealed interface TimestampParser permits TimestampFormat, TimestampChoice {

  /** The instant, or {@code null} with a failure recorded in {@code scope}. */
  Instant parse(Scope scope, JsonNode node);
}
