package io.auditpipe.core.rules.eval;

/**
 * Text whose reads are counted, so that a regular expression that backtracks catastrophically on a
 * hostile record fails fast instead of stalling a task: the matcher reads the input through {@link
 * #charAt}, and past the budget it is stopped.
 */
final class BoundedText implements CharSequence {

  /** Thrown when a match has read more characters than its budget allows. */
  static final class BudgetExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExceeded() {
      super("regular expression step budget exceeded", null, false, false);
    }
  }

  private final String text;
  private final int[] remaining;

  private BoundedText(String text, int[] remaining) {
    this.text = text;
    this.remaining = remaining;
  }

  /** The text, readable at most {@code budget} times in all (sub-sequences share the budget). */
  static BoundedText of(String text, int budget) {
    return new BoundedText(text, new int[] {budget});
  }

  @Override
  public char charAt(int index) {
    if (--remaining[0] < 0) {
      throw new BudgetExceeded();
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new BoundedText(text.substring(start, end), remaining);
  }

  @Override
  public String toString() {
    return text;
  }
}
