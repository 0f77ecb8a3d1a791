package io.auditpipe.testkit.pipeline;

import io.auditpipe.emulator.WorkOsEmulator;
import io.auditpipe.emulator.state.StoredEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * What the emulator stored of events {@code 0 … expected-1}, counted by idempotency key.
 *
 * @param expected events produced
 * @param stored events the emulator stored for the organization
 * @param missing produced events whose key the emulator never stored
 * @param duplicates stored copies beyond the first of a key
 * @param unexpected stored events whose key is none of the produced events'
 * @param replays requests the emulator answered from its idempotency cache (a retry or replay of an
 *     event already stored: not a duplicate)
 */
public record DeliveryLedger(
    long expected, long stored, long missing, long duplicates, long unexpected, long replays) {

  public static DeliveryLedger count(WorkOsEmulator workos, OrderEvents events, int expected) {
    Map<String, Integer> copies = new HashMap<>();
    for (StoredEvent e : workos.events(events.organizationId())) {
      copies.merge(e.idempotencyKey().orElse(""), 1, Integer::sum);
    }
    long stored = copies.values().stream().mapToLong(Integer::longValue).sum();
    long missing = 0;
    long duplicates = 0;
    for (int i = 0; i < expected; i++) {
      Integer n = copies.remove(events.idempotencyKey(i));
      if (n == null) {
        missing++;
      } else {
        duplicates += n - 1;
      }
    }
    long unexpected = copies.values().stream().mapToLong(Integer::longValue).sum();
    return new DeliveryLedger(
        expected, stored, missing, duplicates, unexpected, workos.counters().idempotentReplays());
  }

  /** Every event stored exactly once and nothing else. */
  public boolean exactlyOnce() {
    return missing == 0 && duplicates == 0 && unexpected == 0 && stored == expected;
  }
}
