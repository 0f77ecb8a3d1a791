package io.auditpipe.connect;

import io.auditpipe.testkit.pipeline.OrderEvents;

/** Rules documents shared by the connector's tests. */
public final class TestRules {

  /** Maps {"type":"order.paid", ...} records of topic {@code topic} into one event each. */
  public static String orders(String topic, String unmatched) {
    return OrderEvents.rulesDocument(topic, unmatched);
  }

  private TestRules() {}
}
