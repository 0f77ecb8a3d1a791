package io.auditpipe.workos.http;

import io.auditpipe.workos.time.DaemonTimer;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ends HTTP exchanges that outlive the request timeout. The JDK client's own timeout ({@link
 * java.net.http.HttpRequest#timeout()}) stops at the response headers: a response whose body
 * stalls, or whose connection dies after the headers in a way the client does not notice (as after
 * a TCP reset on a shared HTTP/2 connection), holds its exchange, and so its event, for good. Each
 * exchange is given a deadline here; past it, a blocking exchange's thread is interrupted (the JDK
 * client then cancels the request) and an asynchronous one is cancelled, and the caller gets an
 * {@link HttpTimeoutException} to retry on. One daemon timer thread; cancelled deadlines leave its
 * queue at once. Thread-safe.
 */
public final class ExchangeDeadlines implements AutoCloseable {

  private final Duration timeout;
  private final ScheduledThreadPoolExecutor timer;

  /** Deadlines {@code timeout} after each exchange starts, on a timer thread named {@code name}. */
  public ExchangeDeadlines(Duration timeout, String name) {
    this.timeout = timeout;
    this.timer = DaemonTimer.named(name);
  }

  /** Watches a blocking exchange on the calling thread; {@link Watch#end} it when it returns. */
  public Watch watchThisThread() {
    return start(new Watch(Thread.currentThread(), null));
  }

  /**
   * Watches an asynchronous exchange: past the deadline, {@code exchange} is cancelled. Returns
   * {@code exchange}'s outcome with the cancellation turned into an {@link HttpTimeoutException}.
   */
  public <T> CompletableFuture<T> watch(CompletableFuture<T> exchange) {
    Watch watch = start(new Watch(null, exchange));
    return exchange.handle(
        (value, error) -> {
          boolean expired = watch.end();
          if (error != null) {
            throw new CompletionException(expired ? timeoutException() : error);
          }
          return value;
        });
  }

  private Watch start(Watch watch) {
    watch.deadline = timer.schedule(watch::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    return watch;
  }

  /** The exception for an exchange that ran out of time. */
  public HttpTimeoutException timeoutException() {
    return new HttpTimeoutException(
        "no complete answer within the request timeout of " + timeout.toMillis() + " ms");
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** One exchange's deadline. */
  public final class Watch {

    private final Thread thread;
    private final CompletableFuture<?> exchange;
    private ScheduledFuture<?> deadline;
    private boolean running = true; // guarded by this
    private boolean expired; // guarded by this

    private Watch(Thread thread, CompletableFuture<?> exchange) {
      this.thread = thread;
      this.exchange = exchange;
    }

    private synchronized void expire() {
      if (!running) {
        return;
      }
      expired = true;
      if (thread != null) {
        thread.interrupt();
      } else {
        exchange.cancel(true);
      }
    }

    /**
     * Ends the watch; whether the deadline passed first. On the watched thread, an interrupt the
     * deadline delivered is cleared, so that it does not reach the thread's next task.
     */
    public synchronized boolean end() {
      running = false;
      deadline.cancel(false);
      if (expired && thread == Thread.currentThread()) {
        Thread.interrupted();
      }
      return expired;
    }
  }
}
