package io.auditpipe.workos;

import java.util.concurrent.ForkJoinPool;

/**
 * How {@link AuditLogClient} runs its HTTP exchanges, chosen for the JVM it runs in.
 *
 * <p>The JDK client's {@code sendAsync} hands every answer to {@code CompletableFuture}'s default
 * executor before anyone sees it. That is the common pool, unless the common pool's parallelism is
 * below 2 (a JVM that sees 2 CPUs or fewer, as in many containers): then it is a new thread per
 * answer, which measured 100–200 µs of CPU per event on 2 cores, more than all the rest of delivery
 * (bench/README.md, Delivery).
 */
enum ExchangeMode {
  /** {@code sendAsync}; the HTTP client's own stages run on the client's small pool. */
  ASYNC,
  /**
   * A blocking {@code send} on a thread per request in flight (idle threads time out); the HTTP
   * client's own stages run on its selector thread, so an answer costs one thread wake-up.
   */
  BLOCKING;

  /** {@link #ASYNC} where the JDK hands answers to the common pool, {@link #BLOCKING} elsewhere. */
  static ExchangeMode forThisJvm() {
    return ForkJoinPool.getCommonPoolParallelism() > 1 ? ASYNC : BLOCKING;
  }
}
