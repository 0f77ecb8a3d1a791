package io.auditpipe.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory bound of reconcile: no more than the bound of expected events in memory at once. */
class ExpectedEventSpoolTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void everyWindowHoldsAtMostTheBoundAndTogetherTheyHoldEveryEventOnce() {
    int bound = 100;
    int n = 4_000;
    List<Window> seen = new ArrayList<>();
    Set<Long> offsets = new HashSet<>();
    try (ExpectedEventSpool spool =
        new ExpectedEventSpool(dir.resolve("spool"), Duration.ofDays(1), bound, bound)) {
      for (int i = 0; i < n; i++) {
        // Two organizations, three days, a few events per second: each day holds far more than
        // the bound, so the windows must be split.
        spool.add(event(i % 2 == 0 ? "org_a" : "org_b", i, T0.plusSeconds(i * 60L)));
      }
      for (ExpectedEventSpool.Window w : spool.windows()) {
        List<ExpectedEvent> loaded = w.load();
        assertThat(loaded).hasSize((int) w.events());
        assertThat(w.events()).isBetween(1L, (long) bound);
        for (ExpectedEvent e : loaded) {
          assertThat(e.organizationId()).isEqualTo(w.organizationId());
          assertThat(e.occurredAtInstant()).isBetween(w.start(), w.end().minusMillis(1));
          assertThat(offsets.add(e.offset()))
              .as("offset %d in one window only", e.offset())
              .isTrue();
        }
        seen.add(new Window(w.organizationId(), w.start(), w.end()));
      }
      assertThat(spool.peakBufferedEvents()).isLessThanOrEqualTo(bound);
    }
    assertThat(offsets).hasSize(n);
    for (int i = 1; i < seen.size(); i++) {
      Window a = seen.get(i - 1);
      Window b = seen.get(i);
      if (a.org.equals(b.org)) {
        assertThat(b.start).as("windows in time order, disjoint").isAfterOrEqualTo(a.end);
      }
    }
    assertThat(dir.resolve("spool")).doesNotExist();
  }

  @Test
  void eventsOfOneMillisecondCannotBeSplitAndStayInOneWindow() {
    try (ExpectedEventSpool spool =
        new ExpectedEventSpool(dir.resolve("spool"), Duration.ofHours(1), 10, 10)) {
      for (int i = 0; i < 25; i++) {
        spool.add(event("org_a", i, T0));
      }
      spool.add(event("org_a", 25, T0.plusSeconds(1)));

      List<ExpectedEventSpool.Window> windows = spool.windows();

      assertThat(windows).extracting(ExpectedEventSpool.Window::events).containsExactly(25L, 1L);
      assertThat(windows.get(0).end()).isEqualTo(T0.plusMillis(1));
      assertThat(spool.peakBufferedEvents()).isLessThanOrEqualTo(10);
    }
  }

  @Test
  void aWindowWithinTheBoundIsNotSplit() throws Exception {
    try (ExpectedEventSpool spool =
        new ExpectedEventSpool(dir.resolve("spool"), Duration.ofDays(1), 100, 7)) {
      for (int i = 0; i < 50; i++) {
        spool.add(event("org_a", i, T0.plusSeconds(i)));
      }

      List<ExpectedEventSpool.Window> windows = spool.windows();

      assertThat(windows).hasSize(1);
      assertThat(windows.get(0).start()).isEqualTo(T0);
      assertThat(windows.get(0).end()).isEqualTo(T0.plus(Duration.ofDays(1)));
      assertThat(windows.get(0).load()).extracting(ExpectedEvent::offset).hasSize(50);
      assertThat(spool.peakBufferedEvents()).isEqualTo(7);
      try (Stream<Path> spooled = Files.list(dir.resolve("spool"))) {
        assertThat(spooled).hasSize(1);
      }
    }
  }

  private record Window(String org, Instant start, Instant end) {}

  private static ExpectedEvent event(String org, long offset, Instant at) {
    return new ExpectedEvent(
        "t",
        0,
        offset,
        "r",
        "key-" + offset,
        org,
        "thing.done",
        at.toString(),
        new EventFingerprint("{\"n\":" + offset + "}"));
  }
}
