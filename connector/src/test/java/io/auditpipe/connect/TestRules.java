package io.auditpipe.connect;

/** Rules documents shared by the connector's tests. */
public final class TestRules {

  /** Maps {"type":"order.paid", ...} records of topic {@code topic} into one event each. */
  public static String orders(String topic, String unmatched) {
    return """
        {
          "version": 1,
          "unmatched": "%s",
          "rules": [
            {
              "name": "order-paid",
              "topics": ["%s"],
              "when": {"path": "/type", "equals": "order.paid"},
              "organization_id": {"path": "/org"},
              "action": "order.paid",
              "occurred_at": {"path": "/ts", "timestamp": "iso8601"},
              "actor": {"id": {"path": "/user/id"}, "type": "user"},
              "targets": [{"id": {"path": "/order/id"}, "type": "order"}],
              "context": {"location": {"path": "/ip"}},
              "metadata": {"total": {"path": "/order/total"}},
              "idempotency_key": {"path": "/event_id"}
            }
          ]
        }
        """
        .formatted(unmatched, topic);
  }

  private TestRules() {}
}
