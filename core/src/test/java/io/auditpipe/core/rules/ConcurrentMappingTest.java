package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Compiled rules are shared by many threads: every golden document (JSONata ones included) mapped
 * concurrently, in a different order per thread, gives exactly the single-threaded results.
 */
class ConcurrentMappingTest {

  private static final int THREADS = 8;
  private static final int ROUNDS = 25;

  /** One (document, record) pair and its expected rendering. */
  private record Job(GoldenCorpus.Entry entry, GoldenCase.Input input, String expected) {}

  @Test
  void manyThreadsManyRulesSameResultsAsOneThread() throws Exception {
    List<Job> jobs = new ArrayList<>();
    for (GoldenCorpus.Entry e : GoldenCorpus.load()) {
      for (GoldenCase.Input in : e.inputs()) {
        jobs.add(new Job(e, in, render(e.rules().map(in.value(), in.context()))));
      }
    }
    assertThat(jobs).hasSizeGreaterThan(50);

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        long seed = t;
        futures.add(
            pool.submit(
                () -> {
                  List<Job> order = new ArrayList<>(jobs);
                  List<String> mismatches = new ArrayList<>();
                  start.await();
                  for (int round = 0; round < ROUNDS; round++) {
                    Collections.shuffle(order, new Random(seed * 1000 + round));
                    for (Job job : order) {
                      String actual =
                          render(
                              job.entry().rules().map(job.input().value(), job.input().context()));
                      if (!actual.equals(job.expected())) {
                        mismatches.add(
                            job.entry().name() + ": " + actual + " != " + job.expected());
                      }
                    }
                  }
                  return mismatches;
                }));
      }
      start.countDown();
      for (Future<List<String>> f : futures) {
        assertThat(f.get(5, TimeUnit.MINUTES)).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String render(MappingOutcome outcome) throws Exception {
    return GoldenCase.MAPPER.writeValueAsString(GoldenCase.render(outcome));
  }
}
