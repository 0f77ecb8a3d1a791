package io.auditpipe.testkit.pipeline;

import io.auditpipe.core.rules.IdempotencyKeys;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Numbered {@code order.paid} domain events and the rules that map them: event {@code i} has event
 * id {@code <prefix>-i}, record key {@code k<i>} (so events spread over every partition) and is
 * stored under the idempotency key the connector derives from that id.
 */
public record OrderEvents(String topic, String organizationId, String prefix) {

  /** The rule of {@link #rulesDocument} that maps these events. */
  private static final String RULE = "order-paid";

  /** The rules document that maps these events, records no rule selects skipped. */
  public String rules() {
    return rulesDocument(topic, "skip");
  }

  /**
   * Maps {@code {"type":"order.paid", ...}} records of {@code topic} into one event each; {@code
   * unmatched} is the document's policy for records no rule selects.
   */
  public static String rulesDocument(String topic, String unmatched) {
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

  public String eventId(int i) {
    return prefix + "-" + i;
  }

  /** The {@code Idempotency-Key} WorkOS receives for event {@code i}. */
  public String idempotencyKey(int i) {
    return IdempotencyKeys.fromEventId(eventId(i), RULE, 0);
  }

  public byte[] value(int i) {
    return ("{\"type\":\"order.paid\",\"org\":\""
            + organizationId
            + "\",\"event_id\":\""
            + eventId(i)
            + "\",\"ts\":\"2026-11-02T03:04:05.678Z\",\"ip\":\"10.1.2.3\",\"user\":{\"id\":\"u-"
            + i
            + "\"},\"order\":{\"id\":\"o-"
            + i
            + "\",\"total\":"
            + i
            + "}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Sends events {@code from} (inclusive) to {@code to} (exclusive) and flushes. */
  public void produce(KafkaProducer<byte[], byte[]> producer, int from, int to) {
    for (int i = from; i < to; i++) {
      var unused =
          producer.send(
              new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8), value(i)));
    }
    producer.flush();
  }
}
