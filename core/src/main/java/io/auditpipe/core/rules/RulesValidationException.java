package io.auditpipe.core.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A rules document is not valid; {@link #errors()} lists every problem found, not just the first.
 */
public final class RulesValidationException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<RulesError> errors;

  public RulesValidationException(List<RulesError> errors) {
    super(
        errors.size()
            + " error(s) in rules document:\n"
            + errors.stream().map(RulesError::toString).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<RulesError> errors() {
    return errors;
  }
}
