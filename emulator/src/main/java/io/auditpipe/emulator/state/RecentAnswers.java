package io.auditpipe.emulator.state;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The most recent API answers that were not a success (status not 2xx, or a connection reset by
 * fault injection), for the page and {@code /_emulator/failures}. Bounded: the oldest drop out.
 */
public final class RecentAnswers {

  /** How many answers are kept. */
  public static final int CAPACITY = 500;

  /**
   * One answer.
   *
   * @param status the HTTP status; 0 when the connection was reset without one
   * @param code WorkOS's {@code code}, if the body had one
   * @param message the body's {@code message}, or what happened instead
   */
  public record Answer(
      Instant at,
      int status,
      Optional<String> code,
      String message,
      String requestId,
      String method,
      String path) {}

  private final Clock clock;
  private final Deque<Answer> answers = new ArrayDeque<>();

  public RecentAnswers(Clock clock) {
    this.clock = clock;
  }

  public void add(
      int status,
      Optional<String> code,
      String message,
      String requestId,
      String method,
      String path) {
    Answer a = new Answer(clock.instant(), status, code, message, requestId, method, path);
    synchronized (answers) {
      if (answers.size() == CAPACITY) {
        answers.removeFirst();
      }
      answers.addLast(a);
    }
  }

  /** Oldest first. */
  public List<Answer> all() {
    synchronized (answers) {
      return new ArrayList<>(answers);
    }
  }

  public void clear() {
    synchronized (answers) {
      answers.clear();
    }
  }
}
