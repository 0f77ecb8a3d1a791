package io.auditpipe.bench.processor;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A single-node KRaft broker in this JVM (Kafka's own test kit), set up for transactions. */
final class InProcessKafka implements AutoCloseable {

  private final KafkaClusterTestKit kit;

  private InProcessKafka(KafkaClusterTestKit kit) {
    this.kit = kit;
  }

  static InProcessKafka start() throws Exception {
    KafkaClusterTestKit kit =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("transaction.state.log.num.partitions", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
    return new InProcessKafka(kit);
  }

  String bootstrapServers() {
    return kit.bootstrapServers();
  }

  void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    }
  }

  @Override
  public void close() throws Exception {
    kit.close();
  }
}
