package io.auditpipe.testkit.connect;

import io.auditpipe.testkit.connect.ConnectRest.ConnectorStatus;
import io.auditpipe.testkit.connect.ConnectRest.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Polls a connector's status over the worker's REST API from a daemon thread and records every
 * state it sees: each change of the connector's and its tasks' states (with the time since the
 * recording began), every task ever {@code FAILED} with its trace, and the polls the worker did not
 * answer (while it is killed or restarting).
 */
public final class TaskStateRecorder implements AutoCloseable {

  /** A task or the connector seen {@code FAILED}. */
  public record Failure(String what, Duration at, String trace) {
    /** The failure with its trace's exception messages: the first line and every cause. */
    @Override
    public String toString() {
      StringBuilder s =
          new StringBuilder(what).append(" FAILED at +").append(seconds(at)).append(" s:");
      trace
          .lines()
          .filter(l -> !l.startsWith("\t") && !l.isBlank())
          .map(l -> l.length() > 400 ? l.substring(0, 400) + "…" : l)
          .forEach(l -> s.append("\n    ").append(l));
      return s.toString();
    }
  }

  private static final String FAILED = "FAILED";
  private static final String NO_ANSWER = "worker not answering";

  private final ConnectRest rest;
  private final String connector;
  private final Duration interval;
  private final long originNanos;
  private final Thread thread;
  private volatile boolean running = true;

  private final List<String> changes = new ArrayList<>();
  private final Set<String> statesSeen = new TreeSet<>();
  private final List<Failure> failures = new ArrayList<>();
  private final Set<String> failedSeen = new TreeSet<>();
  private String last = "";
  private long polls;
  private long unanswered;

  private TaskStateRecorder(
      ConnectRest rest, String connector, Duration interval, long originNanos) {
    this.rest = rest;
    this.originNanos = originNanos;
    this.connector = connector;
    this.interval = interval;
    this.thread = new Thread(this::run, "task-state-recorder-" + connector);
    thread.setDaemon(true);
  }

  /**
   * Starts polling {@code connector}'s status every {@code interval}; times are reported since
   * {@code originNanos} (a {@link System#nanoTime()}).
   */
  public static TaskStateRecorder start(
      ConnectRest rest, String connector, Duration interval, long originNanos) {
    TaskStateRecorder r = new TaskStateRecorder(rest, connector, interval, originNanos);
    r.thread.start();
    return r;
  }

  private void run() {
    while (running) {
      Optional<ConnectRest.Answer> answer;
      try {
        answer = rest.get("connectors/" + connector + "/status");
      } catch (RuntimeException e) {
        answer = Optional.empty();
      }
      if (!running) {
        return; // interrupted by close(): not a poll the worker failed to answer
      }
      record(answer);
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void record(Optional<ConnectRest.Answer> answer) {
    polls++;
    Duration at = Duration.ofNanos(System.nanoTime() - originNanos);
    String summary;
    if (answer.isEmpty()) {
      unanswered++;
      summary = NO_ANSWER;
    } else if (!answer.get().ok()) {
      // e.g. 404 before the worker has read the connector's config, 409 while it rebalances
      summary = "status answered HTTP " + answer.get().status();
    } else {
      ConnectorStatus s = ConnectRest.parseStatus(answer.get().body());
      summary = s.summary();
      statesSeen.add("connector " + s.state());
      if (s.state().equals(FAILED) && failedSeen.add("connector")) {
        failures.add(new Failure("connector " + connector, at, "(see the worker's log)"));
      }
      for (TaskStatus t : s.tasks().values()) {
        statesSeen.add("task " + t.state());
        if (t.state().equals(FAILED) && failedSeen.add("task " + t.id())) {
          failures.add(new Failure("task " + t.id(), at, t.trace().orElse("(no trace)")));
        }
      }
    }
    if (!summary.equals(last)) {
      changes.add("+" + seconds(at) + " s " + summary);
      last = summary;
    }
  }

  /**
   * Every state seen, e.g. {@code connector RUNNING}, {@code task UNASSIGNED}, {@code task FAILED}.
   */
  public synchronized Set<String> statesSeen() {
    return Set.copyOf(statesSeen);
  }

  /** Every task (and the connector) ever seen {@code FAILED}, first sighting each. */
  public synchronized List<Failure> failures() {
    return List.copyOf(failures);
  }

  /** The distinct tasks ever seen {@code FAILED}. */
  public synchronized long failedTasks() {
    return failedSeen.stream().filter(s -> s.startsWith("task ")).count();
  }

  /** The recorded changes of state, one line each, oldest first. */
  public synchronized List<String> changes() {
    return List.copyOf(changes);
  }

  public synchronized long polls() {
    return polls;
  }

  /** Polls the worker did not answer at all (down, or no answer within 10 s). */
  public synchronized long unanswered() {
    return unanswered;
  }

  /** A report: polls, every change and every failure. */
  public synchronized String report() {
    StringBuilder s =
        new StringBuilder()
            .append(polls)
            .append(" status polls of ")
            .append(connector)
            .append(" (")
            .append(unanswered)
            .append(" unanswered); states seen ")
            .append(statesSeen)
            .append('\n');
    changes.forEach(c -> s.append("  ").append(c).append('\n'));
    failures.forEach(f -> s.append("  ").append(f).append('\n'));
    return s.toString();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
  }
}
