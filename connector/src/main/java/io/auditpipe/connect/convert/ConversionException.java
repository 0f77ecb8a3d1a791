package io.auditpipe.connect.convert;

/**
 * A record's value cannot be read as JSON. The message says what was expected and what was found,
 * never the value itself.
 */
public final class ConversionException extends Exception {

  private static final long serialVersionUID = 1L;

  public ConversionException(String message) {
    super(message);
  }
}
